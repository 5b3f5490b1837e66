import factory
from django.contrib.auth import get_user_model

from jobs.models import Job
from scenes.models import Scene
from stories.models import Story


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery-9")


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    owner = factory.SubFactory(UserFactory)
    keyword = "morning coffee"
    language = "en"
    duration_s = 15
    aspect = "9:16"


class SceneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scene

    story = factory.SubFactory(StoryFactory)
    position = factory.Sequence(lambda n: n)
    narration = "Coffee wakes the city."
    duration_ms = 2000


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    story = factory.SubFactory(StoryFactory)
    kind = Job.Kind.PLAN
