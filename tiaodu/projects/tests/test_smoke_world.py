from tiaodu.projects.selectors import projects_visible_to


def test_world_builds(world):
    assert set(projects_visible_to(world.alice).values_list("name", flat=True)) == {
        p.name for p in world.projects.values()
    }
