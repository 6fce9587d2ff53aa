"""The calibration and holdout windows, in whole weeks from the cohort's first day.

Week w (1-based) is days 7(w−1) .. 7w−1 after day 0, the cohort's first day. The calibration
window is weeks 1..W, the holdout weeks W+1..W+H. CDNOW with W = 39: day 0 is 1997-01-01, the
calibration ends on day 272 (1997-09-30), so a customer who first bought on day 0 has
T = 272/7 = 38.86 weeks, the T of Hardie's published CDNOW summary; the holdout ends on day 545
(1998-06-30), the last day of the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.errors import UserError

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class Window:
    """Calibration and holdout lengths.

    Attributes:
        calibration_weeks: W, weeks the models are fitted on.
        holdout_weeks: H, weeks forecast and compared with what happened.
    """

    calibration_weeks: int
    holdout_weeks: int

    @property
    def weeks(self) -> int:
        """W + H, the whole observation in weeks."""
        return self.calibration_weeks + self.holdout_weeks

    @property
    def days(self) -> int:
        """Days observed, 7·(W + H): the simulation's horizon."""
        return DAYS_PER_WEEK * self.weeks

    @property
    def calibration_end(self) -> int:
        """The last day of the calibration window (day 7W − 1)."""
        return DAYS_PER_WEEK * self.calibration_weeks - 1

    @property
    def holdout_end(self) -> int:
        """The last day of the holdout (day 7(W + H) − 1)."""
        return self.days - 1


def window_for(data_days: int, calibration_weeks: int, holdout_weeks: int | None,
               source: str) -> Window:
    """The window for data covering days 0..data_days−1; refuses one longer than the data.

    Args:
        data_days: Days from the cohort's first day to the last date in the data, inclusive.
        calibration_weeks: W (at least 1).
        holdout_weeks: H, or None for every whole week left after the calibration.
        source: What the data is (the file), for the message.

    Raises:
        UserError: the calibration, or calibration plus holdout, is longer than the data, or
            no whole week is left for a holdout.
    """
    weeks = data_days // DAYS_PER_WEEK
    span = f"{source} covers {data_days} days ({weeks} whole weeks) from its first purchase"
    if calibration_weeks >= weeks:
        raise UserError(f"--calibration-weeks {calibration_weeks}: longer than the data: {span}; "
                        f"choose fewer than {weeks} weeks so that a holdout is left")
    left = weeks - calibration_weeks
    if holdout_weeks is None:
        holdout_weeks = left
    elif holdout_weeks > left:
        raise UserError(f"--holdout-weeks {holdout_weeks}: the calibration ({calibration_weeks} "
                        f"weeks) and holdout run past the data: {span}; at most {left} holdout "
                        "weeks are left")
    return Window(int(calibration_weeks), int(holdout_weeks))
