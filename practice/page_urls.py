"""Studio pages of practice, under /practice/."""

from django.urls import path

from practice import views

app_name = "practice-pages"

urlpatterns = [
    path("lines/<int:line_id>/record/", views.record, name="record"),
    path("takes/<int:take_id>/", views.result, name="result"),
    path("takes/<int:take_id>/use/", views.use_take, name="use"),
]
