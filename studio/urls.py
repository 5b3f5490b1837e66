"""The studio's pages, at the site root (the API lives under /api/v1/)."""

from django.urls import path

from studio import publishing, social, views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-in/<str:provider>/", social.start, name="social-start"),
    # accounts.social.redirect_uri: where Google and Kakao send the user back.
    path("auth/social/<str:provider>/", social.callback, name="social-callback"),
    path("reels/new/", views.new_reel, name="new-reel"),
    path("reels/<int:story_id>/", views.reel, name="reel"),
    path("library/", views.library, name="library"),
    path("quick-clip/", views.quick_clip, name="quick-clip"),
    path("pronunciations/", views.pronunciations, name="pronunciations"),
    path("stories/<int:story_id>/publish/", publishing.publish, name="publish"),
    path(
        "stories/<int:story_id>/publish/connect/<str:platform>/",
        publishing.connect,
        name="publish-connect",
    ),
]
