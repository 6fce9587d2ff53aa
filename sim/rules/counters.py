"""Names and positions of what the rules count (`sim.rules.tally.Tally`'s `counts` and `sums`).

Kept apart from `Tally` so that every rule module can name what it counts without importing
the modules that size the tally's tables.
"""

SOURCES = ("need", "advertising", "word_of_mouth", "organic")  # what started a journey
NEED, ADVERTISING, WORD_OF_MOUTH, ORGANIC = range(len(SOURCES))
NOT_WON = -1  # `acquired_via` of a person the firm never won

# The day's whole-number flows, positions in `Tally.counts` and `Tally.totals`.
COUNTED = ("switches", "fragmented", "purchases", "defections", "recovered", "interactions",
           "rated", "acquisitions", "cohort_lost", "abandoned")
(SWITCHES, FRAGMENTED, PURCHASES, DEFECTIONS, RECOVERED, INTERACTIONS, RATED, ACQUISITIONS,
 COHORT_LOST, ABANDONED) = range(len(COUNTED))
# Positions in `Tally.sums`. Revenue and satisfaction are running totals over the run, added
# one purchase or journey at a time (both engines add the same numbers in the same order);
# from TODAY on, the day's flows.
SUMMED = ("revenue", "satisfaction", "wom_positive", "wom_negative", "waited", "wait_sum")
REVENUE, SATISFACTION, WOM_POSITIVE, WOM_NEGATIVE, WAITED, WAIT_SUM = range(len(SUMMED))
TODAY = WOM_POSITIVE
