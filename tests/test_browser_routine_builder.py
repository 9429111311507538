"""A routine a clinician builds in the app (two steps, three times a week), saves and downloads,
then edits (renamed) and deletes; then, in a second app with its own history folder, imports the
downloaded file and starts it."""

import pytest

from browser import ARTIFACTS, launch, pass_safety_check, running_app, wait_for_selector, wait_for_text, wait_until_idle

PLAN = "How often (the plan the progress report measures against)"
NAME = "Name (lower-case words joined by '-')"


def build_and_download(page, download_to) -> None:
    page.get_by_text("Build a routine", exact=True).click()
    page.get_by_label("Title").fill("Evening stretch")
    page.get_by_label("A short note: what it is for").fill("Two easy steps for the evening.")
    page.get_by_label("A short note: what it is for").press("Enter")
    wait_until_idle(page)
    page.get_by_label(PLAN).click()
    page.get_by_role("option", name="3 times a week", exact=True).click()
    wait_until_idle(page)
    for count in (1, 2):  # each step seen added before the next click (a click in a run cut short is lost)
        page.get_by_role("button", name="Add the step").click()
        wait_for_selector(page, f"button:has-text('Remove') >> nth={count - 1}", 20, "builder-steps.png")
        wait_until_idle(page)
    wait_for_selector(page, "button:has-text('Move up')", 20, "builder-steps.png")  # shown from the second step
    page.get_by_role("button", name="Save the routine").click()
    wait_for_text(page, "Saved your routine 'evening-stretch'", 30, "builder-saved.png")
    page.wait_for_selector("h3:has-text('Evening stretch')", timeout=20000)  # picked in the list at once
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this routine (.toml)").click()
    download.value.save_as(download_to)


def edit_rename_and_delete(page, folder) -> None:
    """Edit: the builder holds the routine (its plan too); a new name renames it. Then Delete, confirmed."""
    page.get_by_role("button", name="Edit", exact=True).click()
    wait_for_text(page, "Editing your routine 'evening-stretch'", 30, "builder-edit.png")
    wait_until_idle(page)
    assert page.get_by_label("Title").input_value() == "Evening stretch"
    assert page.get_by_label(PLAN).input_value() == "3 times a week"
    page.get_by_label(NAME).fill("night-stretch")
    page.get_by_label(NAME).press("Enter")
    page.get_by_label(NAME).blur()
    wait_until_idle(page)
    screenshot_the_builder(page)
    page.get_by_role("button", name="Save the routine").click()
    wait_for_text(page, "Saved your routine 'night-stretch'", 30, "builder-renamed.png")
    assert sorted(path.name for path in folder.iterdir()) == ["night-stretch.toml"]
    page.get_by_role("button", name="Delete", exact=True).click()
    wait_for_text(page, "Delete your routine 'Evening stretch' (night-stretch.toml) for good?", 30, "builder-delete.png")
    page.get_by_role("button", name="Yes, delete it").click()
    wait_for_text(page, "Deleted your routine 'night-stretch'", 30, "builder-deleted.png")
    assert not list(folder.iterdir())


def screenshot_the_builder(page) -> None:
    """From the routine's row of buttons to "Save the routine" (docs/screenshots/routine-builder.png is a copy)."""
    top = page.get_by_text("Download this routine (.toml)").bounding_box()
    bottom = page.get_by_role("button", name="Save the routine").bounding_box()
    main = page.get_by_test_id("stMain").bounding_box()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "routine-builder.png"), animations="disabled",
                    clip={"x": main["x"], "y": top["y"] - 100, "width": main["width"],
                          "height": bottom["y"] + bottom["height"] + 20 - (top["y"] - 100)})


def import_and_start(page, routine_file) -> None:
    page.get_by_text("Import a routine file", exact=True).click()
    page.locator("input[type=file]").set_input_files(str(routine_file))
    wait_for_text(page, "Saved your routine 'evening-stretch'", 30, "import-saved.png")
    page.wait_for_selector("h3:has-text('Evening stretch')", timeout=20000)
    pass_safety_check(page)
    page.get_by_test_id("stButtonGroup").nth(1).get_by_text("5", exact=True).click()  # pain before
    wait_until_idle(page)
    page.get_by_role("button", name="Start the routine").click()
    wait_for_text(page, "Step 1 of 2: Bird-dog", 30, "import-started.png")


@pytest.mark.browser
def test_a_built_routine_is_downloaded_imported_elsewhere_and_started(tmp_path):
    from playwright.sync_api import sync_playwright

    first, second = tmp_path / "clinic", tmp_path / "home"
    download = tmp_path / "evening-stretch.toml"
    with sync_playwright() as p:
        browser = launch(p)
        with running_app(first / "history.db") as url:
            page = browser.new_page(viewport={"width": 1366, "height": 2600})  # the whole builder in a screenshot
            page.goto(url)
            page.get_by_role("link", name="Routines").click()
            build_and_download(page, download)
            assert download.read_text() == (first / "routines" / "evening-stretch.toml").read_text()
            assert "\nsessions_per_week = 3\n" in download.read_text()
            edit_rename_and_delete(page, first / "routines")
        with running_app(second / "history.db") as url:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(url)
            page.get_by_role("link", name="Routines").click()
            import_and_start(page, download)
        browser.close()
    assert (second / "routines" / "evening-stretch.toml").read_text() == download.read_text()
