"""Query filters for the story list."""

from django.db.models import Q
from django_filters import rest_framework as filters

from stories.models import Aspect, ReelLanguage, Story
from stories.states import Status


class StoryFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    language = filters.ChoiceFilter(choices=ReelLanguage.choices)
    aspect = filters.ChoiceFilter(choices=Aspect.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lte")
    search = filters.CharFilter(method="filter_search", max_length=200, label="title or keyword")

    class Meta:
        model = Story
        fields = ["status", "language", "aspect", "created_after", "created_before", "search"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(keyword__icontains=value))
