import pytest

from practice import actions


@pytest.fixture
def make_post(owner):
    def make(author=None, publish=True, **fields):
        values = {
            "title": "Cutting temporary accommodation costs",
            "summary": "We moved families out of B&Bs faster by pairing officers with landlords.",
            "service_area": "housing",
            "approach": "We paired each officer with three landlords.",
            **fields,
        }
        return actions.post_create(author=author or owner, publish=publish, **values)

    return make
