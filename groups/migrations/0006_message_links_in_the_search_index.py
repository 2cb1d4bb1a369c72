"""Search results for messages linked to ``#message-<seq>`` on the conversation's latest page,
which does not show a message older than its last 50. A message's link is now the page that
shows it (``?at=<seq>#message-<seq>``, Message.get_absolute_url): the database backends' stored
links are rewritten here. (An Elasticsearch index takes them with ``manage.py search_index
update --kind message``.)"""

import re

from django.db import migrations

OLD_LINK = re.compile(r"^(?P<page>[^?#]*)#message-(?P<seq>[0-9]+)$")


def rewrite(apps, schema_editor):
    IndexEntry = apps.get_model("search", "IndexEntry")
    changed = []
    for entry in IndexEntry.objects.filter(kind="message").only("pk", "url").iterator():
        match = OLD_LINK.match(entry.url)
        if match:
            entry.url = f"{match['page']}?at={match['seq']}#message-{match['seq']}"
            changed.append(entry)
        if len(changed) >= 1000:
            IndexEntry.objects.bulk_update(changed, ["url"])
            changed = []
    IndexEntry.objects.bulk_update(changed, ["url"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0005_rewrite_logged_text_of_edited_and_deleted_messages"),
        ("search", "0004_pending_index"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
