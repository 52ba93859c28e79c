/* card.h — the rules of the evaluation card (CONTRACT section 4) that the
 * command line and the TUI both apply: which metric is the headline, when
 * a difference from the champion is called, and the expected calibration
 * error of a reliability table. */
#ifndef PG_CARD_H
#define PG_CARD_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* The headline metric of a card (a document the schema accepted): the one
 * its `headline` names (suite and metric), else the first metric of the
 * first suite.  Returns the metric object and sets *suite to its suite
 * object; NULL (and *suite NULL) when there is none.  Both point into
 * card. */
const cJSON *pg_card_headline(const cJSON *card, const cJSON **suite);

/* One side of a comparison: a metric's value and its confidence interval. */
typedef struct pg_card_value {
	double value;
	int has_ci;
	double lo, hi;
	int higher_is_better;
} pg_card_value;

typedef enum pg_card_verdict {
	PG_CARD_NO_CHAMPION, /* nothing to compare with */
	PG_CARD_NO_CI,       /* one side has no interval: no difference is called */
	PG_CARD_OVERLAP,     /* the intervals share a point: not significant */
	PG_CARD_BETTER,      /* intervals clear of each other, the candidate better */
	PG_CARD_WORSE        /* intervals clear, the candidate worse: a regression */
} pg_card_verdict;

/* Compares candidate m with champion ch (NULL: none).  A difference is
 * called only when both intervals are given and do not overlap; its
 * direction follows m->higher_is_better.  A NaN value compares as no
 * champion. */
pg_card_verdict pg_card_compare(const pg_card_value *m, const pg_card_value *ch);

/* One bin of a reliability table. */
typedef struct pg_card_bin {
	double confidence, accuracy;
	uint64_t count;
} pg_card_bin;

/* Expected calibration error: sum over bins of count/total *
 * |accuracy - confidence|; -1 when there are no bins or no samples. */
double pg_card_ece(const pg_card_bin *b, size_t n);

#endif
