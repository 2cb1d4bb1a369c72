"""Events logged before edits and deletions rewrote earlier events still hold the text as first
sent: each edited or deleted message's earlier events take the message as its latest event
shows it, as message_edit and message_delete now do."""

from django.db import migrations


def rewrite(apps, schema_editor):
    Message = apps.get_model("groups", "Message")
    ConversationEvent = apps.get_model("groups", "ConversationEvent")
    changed = Message.objects.filter(deleted_at__isnull=False) | Message.objects.filter(
        edited_at__isnull=False
    )
    for message_id in changed.values_list("pk", flat=True).iterator():
        events = list(ConversationEvent.objects.filter(message_id=message_id).order_by("seq"))
        if len(events) < 2:
            continue
        latest = events[-1].payload["message"]
        for event in events[:-1]:
            event.payload = {**event.payload, "message": latest}
        ConversationEvent.objects.bulk_update(events[:-1], ["payload"])


class Migration(migrations.Migration):
    dependencies = [("groups", "0004_presence")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
