/* card.c — evaluation card rules shared by the front ends (card.h). */
#include "card.h"

#include <math.h>
#include <string.h>

#include "json.h"

static int named(const cJSON *o, const char *want)
{
	const char *s = pg_json_str(pg_json_get(o, "name"));

	return s && strcmp(s, want) == 0;
}

const cJSON *pg_card_headline(const cJSON *card, const cJSON **suite)
{
	const cJSON *suites = pg_json_get(card, "suites"), *head = pg_json_get(card, "headline"), *s, *m;
	const char *hs = pg_json_str(pg_json_get(head, "suite"));
	const char *hm = pg_json_str(pg_json_get(head, "metric"));

	*suite = NULL;
	if (hs && hm)
		cJSON_ArrayForEach(s, suites) {
			if (!named(s, hs))
				continue;
			cJSON_ArrayForEach(m, pg_json_get(s, "metrics"))
				if (named(m, hm)) {
					*suite = s;
					return m;
				}
		}
	/* no headline, or one naming nothing: the first metric there is */
	cJSON_ArrayForEach(s, suites) {
		m = cJSON_GetArrayItem(pg_json_get(s, "metrics"), 0);
		if (m) {
			*suite = s;
			return m;
		}
	}
	return NULL;
}

pg_card_verdict pg_card_compare(const pg_card_value *m, const pg_card_value *ch)
{
	int better;

	if (!ch || isnan(m->value) || isnan(ch->value))
		return PG_CARD_NO_CHAMPION;
	if (!m->has_ci || !ch->has_ci)
		return PG_CARD_NO_CI;
	if (m->lo <= ch->hi && ch->lo <= m->hi)
		return PG_CARD_OVERLAP;
	better = m->higher_is_better ? m->value > ch->value : m->value < ch->value;
	return better ? PG_CARD_BETTER : PG_CARD_WORSE;
}

double pg_card_ece(const pg_card_bin *b, size_t n)
{
	double total = 0, sum = 0;

	for (size_t i = 0; i < n; i++)
		total += (double)b[i].count;
	if (n == 0 || total <= 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		sum += (double)b[i].count / total * fabs(b[i].accuracy - b[i].confidence);
	return sum;
}
