"""Business hours: open or not, the next opening (holidays, the turn of the week), the notice the
bot adds after a ticket or a message out of hours, and the shape the admin API accepts."""

from datetime import UTC, date, datetime

import pytest

from helpdesk.domain.conversation import Step
from helpdesk.domain.hours import ZONE, BusinessHours, InvalidHours, parse_hours
from tests.unit.dialog_world import SCENE_PHONES, reach, scene

WEEKDAYS_8_TO_18 = {
    "weekly": {day: [["08:00", "12:00"], ["13:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "holidays": ["2026-04-03", "2026-04-21"],  # Good Friday, Tiradentes
}
HOURS = parse_hours(WEEKDAYS_8_TO_18)


def sp(*args) -> datetime:
    return datetime(*args, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (sp(2026, 3, 10, 8, 0), True),  # Tuesday, opening minute
        (sp(2026, 3, 10, 12, 30), False),  # lunch
        (sp(2026, 3, 10, 17, 59), True),
        (sp(2026, 3, 10, 18, 0), False),  # closing minute
        (sp(2026, 3, 14, 10, 0), False),  # Saturday
        (sp(2026, 4, 21, 10, 0), False),  # holiday on a Tuesday
        (datetime(2026, 3, 10, 11, 30, tzinfo=UTC), True),  # 08:30 in São Paulo
        (datetime(2026, 3, 10, 10, 59, tzinfo=UTC), False),  # 07:59 in São Paulo
    ],
)
def test_is_open(at, is_open):
    assert HOURS.is_open(at) is is_open


@pytest.mark.parametrize(
    ("at", "opening"),
    [
        (sp(2026, 3, 10, 9, 0), sp(2026, 3, 10, 9, 0)),  # open now
        (sp(2026, 3, 10, 6, 0), sp(2026, 3, 10, 8, 0)),  # early: today
        (sp(2026, 3, 10, 12, 15), sp(2026, 3, 10, 13, 0)),  # lunch
        (sp(2026, 3, 10, 19, 0), sp(2026, 3, 11, 8, 0)),  # evening: tomorrow
        (sp(2026, 3, 13, 18, 30), sp(2026, 3, 16, 8, 0)),  # Friday night: turn of the week
        (sp(2026, 3, 15, 23, 59), sp(2026, 3, 16, 8, 0)),  # Sunday, a minute before Monday
        (sp(2026, 4, 2, 20, 0), sp(2026, 4, 6, 8, 0)),  # Thursday before Good Friday: Monday
        (sp(2026, 4, 20, 18, 0), sp(2026, 4, 22, 8, 0)),  # Monday before Tiradentes
    ],
)
def test_next_opening(at, opening):
    assert HOURS.next_opening(at) == opening


def test_no_hours_at_all_never_opens():
    assert BusinessHours().next_opening(sp(2026, 3, 10, 9, 0)) is None
    assert not BusinessHours().is_open(sp(2026, 3, 10, 9, 0))


def test_round_trip_and_midnight():
    assert parse_hours(HOURS.to_dict()) == HOURS
    night = parse_hours({"weekly": {"fri": [["22:00", "24:00"]], "sat": [["00:00", "06:00"]]}})
    assert night.is_open(sp(2026, 3, 13, 23, 59)) and night.is_open(sp(2026, 3, 14, 0, 0))
    assert night.next_opening(sp(2026, 3, 14, 7, 0)) == sp(2026, 3, 20, 22, 0)
    assert night.holidays == frozenset() and date(2026, 1, 1) not in night.holidays


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([], "body"),
        ({"weekly": {"seg": []}}, "weekly.seg"),
        ({"weekly": {"mon": [["8:00", "12:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": [["12:00", "08:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": [["08:00", "12:00", "13:00"]]}}, "weekly.mon[0]"),
        ({"weekly": {"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}}, "weekly.mon"),
        ({"weekly": {"mon": [["08:00", "24:01"]]}}, "weekly.mon[0]"),
        ({"holidays": ["25/12/2026"]}, "holidays[0]"),
        ({"holidays": "2026-12-25"}, "holidays"),
    ],
)
def test_invalid_shapes_name_the_field(raw, field):
    with pytest.raises(InvalidHours) as error:
        parse_hours(raw)
    assert error.value.field == field


# --- what the requester reads (the clock is the world's) -------------------------------------


def world_at(at: datetime):
    world = scene()
    world.hours = HOURS
    world.now = at.astimezone(UTC)
    return world


def open_a_ticket(world):
    t = reach(world, Step.TICKET_MEDIA)
    return t.requester_says("fim")


def test_a_ticket_in_business_hours_gets_no_notice():
    world = world_at(sp(2026, 3, 10, 10, 0))
    t = open_a_ticket(world).bot_does_not_say("fora do horário")
    assert t.effects[0].out_of_hours is False
    assert world.tickets[1100].out_of_hours is False


def test_a_ticket_on_friday_night_is_looked_at_on_monday():
    world = world_at(sp(2026, 3, 13, 21, 0))
    t = open_a_ticket(world)
    t.bot_answers("Atendimento *1100*", "fora do horário", "a partir de segunda-feira, 16/03, às 08:00")
    assert world.tickets[1100].out_of_hours is True


def test_a_ticket_the_evening_before_is_looked_at_tomorrow():
    t = open_a_ticket(world_at(sp(2026, 3, 10, 19, 0)))
    t.bot_answers("a partir de amanhã (quarta-feira) às 08:00")


def test_a_ticket_at_lunch_is_looked_at_today():
    t = open_a_ticket(world_at(sp(2026, 3, 10, 12, 20)))
    t.bot_answers("a partir de hoje às 13:00")


def test_a_message_on_a_holiday_names_the_next_working_day():
    world = world_at(sp(2026, 4, 3, 10, 0))  # Good Friday
    t = reach(world, Step.ACTION_MEDIA).requester_says("fim")
    t.bot_answers("Mensagem registrada", "a partir de segunda-feira, 06/04, às 08:00")


def test_no_hours_set_means_no_notice():
    world = scene()
    world.now = sp(2026, 3, 15, 3, 0).astimezone(UTC)  # Sunday night
    open_a_ticket(world).bot_does_not_say("fora do horário")
    t = world.transcript(SCENE_PHONES["one_company"])
    assert t.world.hours is None
