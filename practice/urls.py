from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.post, name="post"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/review/", views.confirm_review, name="review"),
    path("<int:pk>/revisions/", views.revisions, name="revisions"),
    path("<int:pk>/endorse/", views.endorse, name="endorse"),
    path("<int:pk>/endorse/withdraw/", views.withdraw_endorsement, name="withdraw"),
    path("<int:pk>/repeat/", views.repeat, name="repeat"),
    path("<int:pk>/promote/", views.promote, name="promote"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/comments/<int:comment_pk>/edit/", views.comment_edit, name="comment_edit"),
    path("<int:pk>/comments/<int:comment_pk>/delete/", views.comment_delete, name="comment_delete"),
]
