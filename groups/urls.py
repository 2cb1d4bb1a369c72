from django.urls import path

from . import conversation_views, views

app_name = "groups"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("invite-person/", views.invite_person, name="invite_person"),
    path("<slug:slug>/", views.community, name="community"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/request/", views.request_to_join, name="request"),
    path("<slug:slug>/request/withdraw/", views.withdraw_request, name="withdraw"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/requests/<int:pk>/", views.decide_request, name="decide"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove_member, name="remove"),
    path("<slug:slug>/members/<int:pk>/role/", views.change_role, name="role"),
    path("<slug:slug>/conversations/new/", conversation_views.start, name="conversation_new"),
    path(
        "<slug:slug>/conversations/<int:pk>/", conversation_views.conversation, name="conversation"
    ),
    path(
        "<slug:slug>/conversations/<int:pk>/messages/",
        conversation_views.post_message,
        name="conversation_post",
    ),
    path(
        "<slug:slug>/conversations/<int:pk>/messages/<int:message>/history/",
        conversation_views.message_history,
        name="message_history",
    ),
    path(
        "<slug:slug>/conversations/<int:pk>/practice/",
        conversation_views.to_practice,
        name="conversation_practice",
    ),
    path(
        "<slug:slug>/conversations/<int:pk>/people/",
        conversation_views.mention_candidates,
        name="conversation_people",
    ),
]
