/* policy.c — the policy file of CONTRACT section 5: the validator (one
 * fixed walk, first failure wins, exact field paths), the digest, the
 * accessors, the pack checks and the granted permission set.  The rules are
 * written down in doc/policy.md; keep the two in step. */
#include "pg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "digest.h"
#include "escape.h"
#include "json.h"
#include "policy.h"
#include "rfc3339.h"
#include "schema.h"
#include "walk.h"

#define DAY_SECONDS 86400

/* ================================================================ people */

static const struct {
	unsigned bit;
	const char *name;
} person_roles[] = {
	{ PG_PERSON_REVIEWER, "reviewer" },
	{ PG_PERSON_RELEASE_MANAGER, "release-manager" },
	{ PG_PERSON_AUDITOR, "auditor" },
};
#define NPERSON_ROLES (sizeof person_roles / sizeof person_roles[0])

const char *pg_person_role_name(unsigned bit)
{
	for (size_t i = 0; i < NPERSON_ROLES; i++)
		if (person_roles[i].bit == bit)
			return person_roles[i].name;
	return NULL;
}

unsigned pg_person_role_parse(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < NPERSON_ROLES; i++)
		if (strcmp(person_roles[i].name, name) == 0)
			return person_roles[i].bit;
	return 0;
}

void pg_person_roles_format(unsigned mask, char *buf, size_t cap)
{
	size_t len = 0;

	if (!buf || cap == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < NPERSON_ROLES; i++) {
		int n;

		if (!(mask & person_roles[i].bit))
			continue;
		n = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "",
			     person_roles[i].name);
		if (n < 0 || (size_t)n >= cap - len)
			return; /* cut: snprintf left it NUL-terminated */
		len += (size_t)n;
	}
}

static int hex_digit(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

int pg_fpr_normalize(const char *s, char out[PG_FPR_SIZE])
{
	size_t i;

	if (!s)
		return 0;
	for (i = 0; i < PG_FPR_LEN; i++)
		if (!hex_digit((unsigned char)s[i]))
			return 0;
	if (s[PG_FPR_LEN] != '\0')
		return 0;
	if (out) {
		for (i = 0; i < PG_FPR_LEN; i++) {
			char ch = s[i];

			out[i] = ch >= 'a' && ch <= 'f' ? (char)(ch - 'a' + 'A') : ch;
		}
		out[PG_FPR_LEN] = '\0';
	}
	return 1;
}

/* ================================================================ walking */

static pg_code oom(pg_walk *w)
{
	return pg_walk_fail(w, PG_IO_MEMORY, _("out of memory"));
}


static pg_code get_uint(pg_walk *w, const cJSON *obj, const char *key,
			int flags, uint64_t *out, int *present)
{
	const cJSON *v;
	pg_code rc = pg_walk_get(w, obj, key, PG_KIND_UINT, flags, &v);

	if (present)
		*present = v != NULL;
	if (rc == PG_OK && v)
		*out = (uint64_t)v->valuedouble;
	return rc;
}

/* The first member of obj whose name is not in known (NULL-terminated)
 * fails with "unknown member". */
static pg_code known_members(pg_walk *w, const cJSON *obj, const char *const *known)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		size_t i;

		for (i = 0; known[i]; i++)
			if (strcmp(known[i], it->string) == 0)
				break;
		if (!known[i]) {
			pg_walk_key(w, it->string);
			return pg_walk_fail(w, PG_SCHEMA, _("unknown member"));
		}
	}
	return PG_OK;
}

/* ============================================================= repeats */

struct skey {
	const char *s;
	size_t index;
};

static int skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorts strs[0..n) (keeping positions) into a new array *out (caller
 * frees; NULL when n == 0).  Returns -1 when out of memory. */
static int sort_keys(const char *const *strs, size_t n, struct skey **out)
{
	struct skey *k;

	*out = NULL;
	if (n == 0)
		return 0;
	k = malloc(n * sizeof *k);
	if (!k)
		return -1;
	for (size_t i = 0; i < n; i++) {
		k[i].s = strs[i];
		k[i].index = i;
	}
	qsort(k, n, sizeof *k, skey_cmp);
	*out = k;
	return 0;
}

/* Marks in dup[0..n) every string equal to an earlier one. */
static void mark_repeats(const struct skey *k, size_t n, unsigned char *dup)
{
	memset(dup, 0, n);
	for (size_t j = 1; j < n; j++)
		if (strcmp(k[j].s, k[j - 1].s) == 0)
			dup[k[j].index] = 1;
}

/* Finds the first string (in list order) equal to an earlier one: *dup is
 * its index and *first the earlier one's, or *dup is SIZE_MAX when all
 * differ.  Returns -1 when out of memory, else 0. */
static int first_repeat(const char *const *strs, size_t n, size_t *dup, size_t *first)
{
	struct skey *k;
	size_t group = 0;

	*dup = SIZE_MAX;
	*first = 0;
	if (n < 2)
		return 0;
	if (sort_keys(strs, n, &k) < 0)
		return -1;
	for (size_t j = 1; j < n; j++) {
		if (strcmp(k[j].s, k[j - 1].s) != 0) {
			group = j;
			continue;
		}
		if (j - 1 == group && k[j].index < *dup) {
			*dup = k[j].index;
			*first = k[group].index;
		}
	}
	free(k);
	return 0;
}

/* ======================================================== string lists */

/* Checks one element (a string) at the current path; may normalise it
 * into norm (PG_FPR_SIZE bytes) for the repeat test. */
typedef pg_code (*elem_fn)(pg_walk *w, const char *s, char *norm);

static pg_code elem_fpr(pg_walk *w, const char *s, char *norm);

/* A string-list member: every element a string that passes elem (NULL:
 * any string), no value twice (compared after elem's normalisation).
 * *out gets the array (NULL when absent). */
static pg_code get_strlist(pg_walk *w, const cJSON *obj, const char *key,
			   int flags, elem_fn elem, const cJSON **out)
{
	const cJSON *list, *it;
	const char **strs = NULL;
	char (*norm)[PG_FPR_SIZE] = NULL;
	size_t mark, n, i = 0, dup, first;
	pg_code rc = pg_walk_get(w, obj, key, PG_KIND_ARRAY, flags, &list);

	if (out)
		*out = NULL;
	if (rc != PG_OK || !list)
		return rc;
	mark = pg_walk_key(w, key);
	n = (size_t)cJSON_GetArraySize(list);
	/* Only fingerprints are normalised (to uppercase) before comparing. */
	if (n > 0 && (!(strs = malloc(n * sizeof *strs)) ||
		      (elem == elem_fpr && !(norm = malloc(n * sizeof *norm))))) {
		rc = oom(w);
		goto out;
	}
	cJSON_ArrayForEach(it, list) {
		size_t m = pg_walk_index(w, i);

		rc = pg_walk_kind(w, it, PG_KIND_STRING);
		if (rc == PG_OK && elem)
			rc = elem(w, it->valuestring, norm ? norm[i] : NULL);
		pg_walk_pop(w, m);
		if (rc != PG_OK)
			goto out;
		strs[i] = norm ? norm[i] : it->valuestring;
		i++;
	}
	if (first_repeat(strs, n, &dup, &first) < 0) {
		rc = oom(w);
		goto out;
	}
	if (dup != SIZE_MAX) {
		char list_path[sizeof w->p.s];

		memcpy(list_path, w->p.s, sizeof list_path);
		pg_walk_index(w, dup);
		rc = pg_walk_fail(w, PG_SCHEMA, _("same value as %s[%zu]"), list_path, first);
		goto out;
	}
	if (out)
		*out = list;
out:
	free(strs);
	free(norm);
	pg_walk_pop(w, mark);
	return rc;
}

static pg_code elem_fpr(pg_walk *w, const char *s, char *norm)
{
	if (!pg_fpr_normalize(s, norm))
		return pg_walk_fail(w, PG_SCHEMA, _("not a fingerprint (40 hex digits)"));
	return PG_OK;
}

static pg_code elem_role(pg_walk *w, const char *s, char *norm)
{
	(void)norm;
	if (!pg_person_role_parse(s))
		return pg_walk_fail(w, PG_SCHEMA,
			    _("unknown role \"%s\" (reviewer, release-manager or auditor)"), s);
	return PG_OK;
}

static unsigned require_parse(const char *s)
{
	if (strcmp(s, "rollback") == 0)
		return PG_REQUIRE_ROLLBACK;
	if (strcmp(s, "publisher_signature") == 0)
		return PG_REQUIRE_PUBLISHER_SIGNATURE;
	return 0;
}

static pg_code elem_require(pg_walk *w, const char *s, char *norm)
{
	(void)norm;
	if (!require_parse(s))
		return pg_walk_fail(w, PG_SCHEMA,
			    _("unknown requirement \"%s\" (rollback or publisher_signature)"), s);
	return PG_OK;
}

/* ".ext": a dot, then one or more of a-z 0-9 _ + -. */
static pg_code elem_file_type(pg_walk *w, const char *s, char *norm)
{
	(void)norm;
	if (s[0] != '.' || s[1] == '\0')
		return pg_walk_fail(w, PG_SCHEMA, _("not an extension such as \".onnx\""));
	for (const char *p = s + 1; *p; p++) {
		char ch = *p;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '_' || ch == '+' || ch == '-')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			return pg_walk_fail(w, PG_SCHEMA, _("not lowercase"));
		return pg_walk_fail(w, PG_SCHEMA,
			    _("an extension is a dot and then a-z, 0-9, '_', '+' or '-'"));
	}
	return PG_OK;
}

/* The values of a list of role names or requirement names as a bit mask. */
static unsigned list_mask(const cJSON *list, unsigned (*parse)(const char *))
{
	const cJSON *it;
	unsigned mask = 0;

	cJSON_ArrayForEach(it, list)
		mask |= parse(it->valuestring);
	return mask;
}

/* ============================================================= members */

static const char *const root_members[] = {
	"policy_version", "name", "allowed_inputs", "allowed_outputs",
	"supported_backends", "memory_ceiling_bytes", "max_risk_tier",
	"evaluation", "environment_permissions", "file_types", "limits",
	"publishers", "people", "transitions", NULL
};
static const char *const evaluation_members[] = {
	"max_age_days", "required_suites", NULL
};
static const char *const permission_members[] = {
	"tools", "files", "network", "data_classes", NULL
};
static const char *const person_members[] = {
	"fingerprint", "name", "roles", "public_key", NULL
};
static const char *const rule_members[] = {
	"from", "to", "roles", "approvals", "requires", NULL
};

static const struct {
	const char *name;
	unsigned bit;
	size_t off;
} limit_members[] = {
	{ "archive_bytes", PG_POLICY_LIMIT_ARCHIVE_BYTES, offsetof(pg_limits, archive_bytes) },
	{ "entry_bytes", PG_POLICY_LIMIT_ENTRY_BYTES, offsetof(pg_limits, entry_bytes) },
	{ "total_bytes", PG_POLICY_LIMIT_TOTAL_BYTES, offsetof(pg_limits, total_bytes) },
	{ "entries", PG_POLICY_LIMIT_ENTRIES, offsetof(pg_limits, entries) },
	{ "path_bytes", PG_POLICY_LIMIT_PATH_BYTES, offsetof(pg_limits, path_bytes) },
	{ "segment_bytes", PG_POLICY_LIMIT_SEGMENT_BYTES, offsetof(pg_limits, segment_bytes) },
	{ "json_bytes", PG_POLICY_LIMIT_JSON_BYTES, offsetof(pg_limits, json_bytes) },
	{ "json_depth", PG_POLICY_LIMIT_JSON_DEPTH, offsetof(pg_limits, json_depth) },
};
#define NLIMITS (sizeof limit_members / sizeof limit_members[0])

static uint64_t limit_get(const pg_limits *lim, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)lim + limit_members[i].off, sizeof v);
	return v;
}

static void limit_set(pg_limits *lim, size_t i, uint64_t v)
{
	memcpy((char *)lim + limit_members[i].off, &v, sizeof v);
}

#define ARMOR_HEADER "-----BEGIN PGP PUBLIC KEY BLOCK-----"

/* ============================================================ the walk */

static pg_code walk_version(pg_walk *w, const cJSON *doc)
{
	uint64_t version = 0;
	pg_code rc = get_uint(w, doc, "policy_version", PG_WALK_REQ, &version, NULL);

	if (rc == PG_OK && version != 1) {
		size_t mark = pg_walk_key(w, "policy_version");

		rc = pg_walk_fail(w, PG_VERSION_UNSUPPORTED,
			  _("version %llu is not supported (only 1)"),
			  (unsigned long long)version);
		pg_walk_pop(w, mark);
	}
	return rc;
}

static pg_code walk_risk_tier(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *v;
	pg_code rc = pg_walk_get(w, doc, "max_risk_tier", PG_KIND_STRING, PG_WALK_REQ, &v);

	if (rc != PG_OK)
		return rc;
	p->max_risk_tier = pg_safety_tier_parse(v->valuestring);
	if (p->max_risk_tier < 0) {
		pg_walk_key(w, "max_risk_tier");
		return pg_walk_fail(w, PG_SCHEMA,
			    _("unknown tier \"%s\" (low, medium, high or critical)"),
			    v->valuestring);
	}
	return PG_OK;
}

static pg_code walk_evaluation(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *ev;
	size_t mark;
	pg_code rc = pg_walk_get(w, doc, "evaluation", PG_KIND_OBJECT, PG_WALK_REQ, &ev);

	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(w, "evaluation");
	rc = known_members(w, ev, evaluation_members);
	if (rc == PG_OK)
		rc = get_uint(w, ev, "max_age_days", PG_WALK_REQ, &p->max_age_days, NULL);
	if (rc == PG_OK)
		rc = get_strlist(w, ev, "required_suites", PG_WALK_REQ, NULL, &p->required_suites);
	pg_walk_pop(w, mark);
	return rc;
}

static pg_code walk_environment(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *v;
	size_t mark;
	pg_code rc = pg_walk_get(w, doc, "environment_permissions", PG_KIND_OBJECT, PG_WALK_REQ, &v);

	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(w, "environment_permissions");
	rc = known_members(w, v, permission_members);
	pg_walk_pop(w, mark);
	if (rc == PG_OK)
		rc = pg_schema_permission_set(v, "environment_permissions", w->err);
	if (rc == PG_OK)
		p->environment_permissions = v;
	return rc;
}

static pg_code walk_file_types(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *list, *it;
	size_t i = 0;
	pg_code rc = get_strlist(w, doc, "file_types", PG_WALK_NONEMPTY, elem_file_type, &list);

	if (rc != PG_OK || !list)
		return rc;
	p->file_types = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *p->file_types);
	if (!p->file_types)
		return oom(w);
	cJSON_ArrayForEach(it, list)
		p->file_types[i++] = it->valuestring;
	return PG_OK;
}

static pg_code walk_limits(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *v;
	size_t mark;
	pg_code rc = pg_walk_get(w, doc, "limits", PG_KIND_OBJECT, 0, &v);

	if (rc != PG_OK || !v)
		return rc;
	mark = pg_walk_key(w, "limits");
	{
		const char *known[NLIMITS + 1];

		for (size_t i = 0; i < NLIMITS; i++)
			known[i] = limit_members[i].name;
		known[NLIMITS] = NULL;
		rc = known_members(w, v, known);
	}
	for (size_t i = 0; rc == PG_OK && i < NLIMITS; i++) {
		uint64_t val = 0;
		int present = 0;

		rc = get_uint(w, v, limit_members[i].name, 0, &val, &present);
		if (rc != PG_OK || !present)
			continue;
		if (val == 0) {
			size_t m = pg_walk_key(w, limit_members[i].name);

			rc = pg_walk_fail(w, PG_SCHEMA, _("must be at least 1"));
			pg_walk_pop(w, m);
			continue;
		}
		limit_set(&p->limits, i, val);
		p->limits_set |= limit_members[i].bit;
	}
	pg_walk_pop(w, mark);
	return rc;
}

static pg_code walk_publishers(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *list, *it;
	size_t n;
	pg_code rc = get_strlist(w, doc, "publishers", PG_WALK_NONEMPTY, elem_fpr, &list);

	if (rc != PG_OK || !list)
		return rc;
	n = (size_t)cJSON_GetArraySize(list);
	p->publishers = calloc(n, sizeof *p->publishers);
	if (!p->publishers)
		return oom(w);
	cJSON_ArrayForEach(it, list)
		pg_fpr_normalize(it->valuestring, p->publishers[p->npublishers++]);
	return PG_OK;
}

static pg_code walk_person(pg_walk *w, const cJSON *v, pg_policy_person *person)
{
	const cJSON *fpr, *name, *roles, *key;
	pg_code rc = known_members(w, v, person_members);

	if (rc == PG_OK)
		rc = pg_walk_get(w, v, "fingerprint", PG_KIND_STRING, PG_WALK_REQ, &fpr);
	if (rc == PG_OK && !pg_fpr_normalize(fpr->valuestring, person->fingerprint)) {
		size_t mark = pg_walk_key(w, "fingerprint");

		rc = pg_walk_fail(w, PG_SCHEMA, _("not a fingerprint (40 hex digits)"));
		pg_walk_pop(w, mark);
	}
	if (rc == PG_OK)
		rc = pg_walk_get(w, v, "name", PG_KIND_STRING, PG_WALK_REQ | PG_WALK_NONEMPTY, &name);
	if (rc == PG_OK)
		rc = get_strlist(w, v, "roles", PG_WALK_REQ, elem_role, &roles);
	if (rc == PG_OK)
		rc = pg_walk_get(w, v, "public_key", PG_KIND_STRING, 0, &key);
	if (rc == PG_OK && key && !strstr(key->valuestring, ARMOR_HEADER)) {
		size_t mark = pg_walk_key(w, "public_key");

		rc = pg_walk_fail(w, PG_SCHEMA, _("not an armored OpenPGP public key (no \"%s\" line)"),
			  ARMOR_HEADER);
		pg_walk_pop(w, mark);
	}
	if (rc != PG_OK)
		return rc;
	person->name = name->valuestring;
	person->roles = list_mask(roles, pg_person_role_parse);
	person->public_key = key ? key->valuestring : NULL;
	return PG_OK;
}

static pg_code walk_people(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *list, *it;
	const char **fprs = NULL;
	size_t mark, n, dup, first;
	pg_code rc = pg_walk_get(w, doc, "people", PG_KIND_ARRAY, PG_WALK_REQ, &list);

	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(w, "people");
	n = (size_t)cJSON_GetArraySize(list);
	if (n > 0 && (!(p->people = calloc(n, sizeof *p->people)) ||
		      !(fprs = malloc(n * sizeof *fprs)))) {
		rc = oom(w);
		goto out;
	}
	cJSON_ArrayForEach(it, list) {
		size_t m = pg_walk_index(w, p->npeople);
		pg_policy_person *person = &p->people[p->npeople];

		rc = pg_walk_kind(w, it, PG_KIND_OBJECT);
		if (rc == PG_OK)
			rc = walk_person(w, it, person);
		pg_walk_pop(w, m);
		if (rc != PG_OK)
			goto out;
		fprs[p->npeople++] = person->fingerprint;
	}
	/* Every person is well-formed; now no fingerprint twice. */
	if (first_repeat(fprs, n, &dup, &first) < 0) {
		rc = oom(w);
		goto out;
	}
	if (dup != SIZE_MAX) {
		pg_walk_index(w, dup);
		pg_walk_key(w, "fingerprint");
		rc = pg_walk_fail(w, PG_SCHEMA, _("same fingerprint as people[%zu]"), first);
	}
out:
	free(fprs);
	pg_walk_pop(w, mark);
	return rc;
}

/* seen[from + 1][to]: 1 + index of the rule already there, or 0. */
struct rule_seen {
	size_t at[PG_STATE_COUNT_ + 1][PG_STATE_COUNT_];
};

static pg_code walk_rule(pg_walk *w, const cJSON *v, pg_policy_rule *rule,
			 size_t reviewers, struct rule_seen *seen)
{
	const cJSON *from, *to, *roles, *requires;
	int present = 0;
	int st;
	pg_code rc = known_members(w, v, rule_members);
	size_t mark;

	if (rc == PG_OK)
		rc = pg_walk_get(w, v, "from", PG_KIND_STRING, PG_WALK_REQ, &from);
	if (rc == PG_OK) {
		if (strcmp(from->valuestring, "*") == 0) {
			rule->from = PG_POLICY_ANY;
		} else if ((st = pg_state_parse(from->valuestring)) >= 0) {
			rule->from = st;
		} else {
			mark = pg_walk_key(w, "from");
			rc = pg_walk_fail(w, PG_SCHEMA, _("unknown state \"%s\""), from->valuestring);
			pg_walk_pop(w, mark);
		}
	}
	if (rc == PG_OK)
		rc = pg_walk_get(w, v, "to", PG_KIND_STRING, PG_WALK_REQ, &to);
	if (rc == PG_OK) {
		mark = pg_walk_key(w, "to");
		st = pg_state_parse(to->valuestring);
		if (strcmp(to->valuestring, "*") == 0)
			rc = pg_walk_fail(w, PG_SCHEMA, _("\"*\" is only allowed in from"));
		else if (st < 0)
			rc = pg_walk_fail(w, PG_SCHEMA, _("unknown state \"%s\""), to->valuestring);
		else if (st == rule->from)
			rc = pg_walk_fail(w, PG_SCHEMA, _("the same state as from"));
		else
			rule->to = (pg_state)st;
		pg_walk_pop(w, mark);
	}
	if (rc == PG_OK)
		rc = get_strlist(w, v, "roles", PG_WALK_REQ | PG_WALK_NONEMPTY, elem_role, &roles);
	if (rc == PG_OK)
		rc = get_uint(w, v, "approvals", 0, &rule->approvals, &present);
	if (rc == PG_OK && present && rule->approvals > reviewers) {
		mark = pg_walk_key(w, "approvals");
		rc = pg_walk_fail(w, PG_SCHEMA,
			  ngettext("%llu approvals needed but the policy has %zu reviewer",
			           "%llu approvals needed but the policy has %zu reviewers", (unsigned long)reviewers),
			  (unsigned long long)rule->approvals, reviewers);
		pg_walk_pop(w, mark);
	}
	if (rc == PG_OK)
		rc = get_strlist(w, v, "requires", 0, elem_require, &requires);
	if (rc != PG_OK)
		return rc;
	rule->roles = list_mask(roles, pg_person_role_parse);
	rule->requires = requires ? list_mask(requires, require_parse) : 0;
	{
		size_t *at = &seen->at[rule->from + 1][rule->to];

		if (*at)
			return pg_walk_fail(w, PG_SCHEMA, _("same from and to as transitions[%zu]"),
				    *at - 1);
		*at = rule->index + 1;
	}
	return PG_OK;
}

static pg_code walk_transitions(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *list, *it;
	struct rule_seen *seen = NULL;
	size_t mark, n, reviewers = 0;
	pg_code rc = pg_walk_get(w, doc, "transitions", PG_KIND_ARRAY, PG_WALK_REQ, &list);

	if (rc != PG_OK)
		return rc;
	mark = pg_walk_key(w, "transitions");
	for (size_t i = 0; i < p->npeople; i++)
		if (p->people[i].roles & PG_PERSON_REVIEWER)
			reviewers++;
	n = (size_t)cJSON_GetArraySize(list);
	if (!(seen = calloc(1, sizeof *seen)) ||
	    (n > 0 && !(p->rules = calloc(n, sizeof *p->rules)))) {
		rc = oom(w);
		goto out;
	}
	cJSON_ArrayForEach(it, list) {
		size_t m = pg_walk_index(w, p->nrules);
		pg_policy_rule *rule = &p->rules[p->nrules];

		rule->index = p->nrules;
		rc = pg_walk_kind(w, it, PG_KIND_OBJECT);
		if (rc == PG_OK)
			rc = walk_rule(w, it, rule, reviewers, seen);
		pg_walk_pop(w, m);
		if (rc != PG_OK)
			goto out;
		p->nrules++;
	}
out:
	free(seen);
	pg_walk_pop(w, mark);
	return rc;
}

static pg_code walk_policy(pg_walk *w, const cJSON *doc, pg_policy *p)
{
	const cJSON *name;
	pg_code rc;

	if (!cJSON_IsObject(doc))
		return pg_walk_fail(w, PG_SCHEMA, _("not a JSON object"));
	rc = walk_version(w, doc);
	if (rc == PG_OK)
		rc = known_members(w, doc, root_members);
	if (rc == PG_OK)
		rc = pg_walk_get(w, doc, "name", PG_KIND_STRING, PG_WALK_NONEMPTY, &name);
	if (rc == PG_OK)
		p->name = name ? name->valuestring : NULL;
	if (rc == PG_OK)
		rc = get_strlist(w, doc, "allowed_inputs", PG_WALK_REQ, NULL, &p->allowed_inputs);
	if (rc == PG_OK)
		rc = get_strlist(w, doc, "allowed_outputs", PG_WALK_REQ, NULL, &p->allowed_outputs);
	if (rc == PG_OK)
		rc = get_strlist(w, doc, "supported_backends", PG_WALK_REQ, NULL,
				 &p->supported_backends);
	if (rc == PG_OK)
		rc = get_uint(w, doc, "memory_ceiling_bytes", PG_WALK_REQ,
			      &p->memory_ceiling_bytes, NULL);
	if (rc == PG_OK)
		rc = walk_risk_tier(w, doc, p);
	if (rc == PG_OK)
		rc = walk_evaluation(w, doc, p);
	if (rc == PG_OK)
		rc = walk_environment(w, doc, p);
	if (rc == PG_OK)
		rc = walk_file_types(w, doc, p);
	if (rc == PG_OK)
		rc = walk_limits(w, doc, p);
	if (rc == PG_OK)
		rc = walk_publishers(w, doc, p);
	if (rc == PG_OK)
		rc = walk_people(w, doc, p);
	if (rc == PG_OK)
		rc = walk_transitions(w, doc, p);
	return rc;
}

/* ============================================================ parsing */

void pg_policy_free(pg_policy *p)
{
	if (!p)
		return;
	cJSON_Delete(p->doc);
	free(p->canon);
	free(p->file_types);
	free(p->publishers);
	free(p->people);
	free(p->rules);
	free(p);
}

pg_code pg_policy_parse(const char *buf, size_t len, pg_policy **out, pg_error *err)
{
	pg_walk w;

	pg_walk_init(&w, err, "policy", 0, NULL);
	char hex[PG_SHA256_HEX];
	pg_policy *p;
	pg_code rc;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return pg_err(err, PG_IO_MEMORY, _("out of memory"));
	p->max_risk_tier = -1;
	rc = pg_json_parse(buf, len, NULL, &p->doc, err);
	if (rc != PG_OK)
		goto out;
	rc = walk_policy(&w, p->doc, p);
	if (rc != PG_OK)
		goto out;
	rc = pg_canon(p->doc, &p->canon, &p->canon_len, err);
	if (rc != PG_OK)
		goto out;
	pg_sha256_hex(p->canon, p->canon_len, hex);
	snprintf(p->digest, sizeof p->digest, "sha256:%s", hex);
	*out = p;
	p = NULL;
out:
	pg_policy_free(p);
	return rc;
}

pg_code pg_policy_load(const char *path, pg_policy **out, pg_error *err)
{
	pg_json_limits lim;
	pg_buf b;
	int fd = -1, r;
	pg_code rc = PG_OK;

	*out = NULL;
	pg_json_limits_from(&lim, NULL);
	/* One byte over the cap is enough for the JSON layer to say so. */
	pg_buf_init(&b, lim.max_bytes < SIZE_MAX ? lim.max_bytes + 1 : SIZE_MAX);
	if (!path) {
		rc = pg_err(err, PG_IO_NOT_FOUND, _("no policy file given"));
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = pg_err_errno(err, errno, 0, path);
		goto out;
	}
	r = pg_buf_read_fd(&b, fd);
	if (r == -3) {
		rc = pg_err_errno(err, errno, 0, path);
		goto out;
	}
	if (r == -2) {
		rc = pg_err(err, PG_IO_MEMORY, _("out of memory"));
		goto out;
	}
	rc = pg_policy_parse(b.data ? b.data : "", b.len, out, err);
	if (rc && err) {
		/* the parser's message names the field; say which file, too */
		char msg[sizeof err->message];
		memcpy(msg, err->message, sizeof msg);
		pg_err(err, rc, _("policy %s: %s"), path, msg);
	}
out:
	if (fd >= 0)
		close(fd);
	pg_buf_free(&b);
	return rc;
}

/* ============================================================ accessors */

void pg_policy_apply_limits(const pg_policy *p, pg_limits *lim)
{
	if (!p || !lim)
		return;
	for (size_t i = 0; i < NLIMITS; i++)
		if (p->limits_set & limit_members[i].bit)
			limit_set(lim, i, limit_get(&p->limits, i));
}

const char *const *pg_policy_file_types(const pg_policy *p)
{
	return p ? (const char *const *)p->file_types : NULL;
}

const pg_policy_person *pg_policy_person_find(const pg_policy *p, const char *fpr)
{
	char up[PG_FPR_SIZE];

	if (!p || !pg_fpr_normalize(fpr, up))
		return NULL;
	for (size_t i = 0; i < p->npeople; i++)
		if (strcmp(p->people[i].fingerprint, up) == 0)
			return &p->people[i];
	return NULL;
}

unsigned pg_policy_roles_of(const pg_policy *p, const char *fpr)
{
	const pg_policy_person *person = pg_policy_person_find(p, fpr);

	return person ? person->roles : 0;
}

int pg_policy_is_publisher(const pg_policy *p, const char *fpr)
{
	char up[PG_FPR_SIZE];

	if (!p || !pg_fpr_normalize(fpr, up))
		return 0;
	for (size_t i = 0; i < p->npublishers; i++)
		if (strcmp(p->publishers[i], up) == 0)
			return 1;
	return 0;
}

const pg_policy_rule *pg_policy_rule_find(const pg_policy *p, pg_state from, pg_state to)
{
	const pg_policy_rule *any = NULL;

	if (!p || from == to)
		return NULL;
	for (size_t i = 0; i < p->nrules; i++) {
		const pg_policy_rule *r = &p->rules[i];

		if (r->to != to)
			continue;
		if (r->from == (int)from)
			return r;
		if (r->from == PG_POLICY_ANY && !any)
			any = r;
	}
	return any;
}

size_t pg_policy_rules_from(const pg_policy *p, pg_state from,
			    const pg_policy_rule *out[PG_STATE_COUNT_])
{
	size_t n = 0;

	for (int to = 0; to < PG_STATE_COUNT_; to++) {
		const pg_policy_rule *r = pg_policy_rule_find(p, from, (pg_state)to);

		if (r)
			out[n++] = r;
	}
	return n;
}

/* ============================================================ messages */

/* A bounded message under construction; longer text is cut. */
struct msg {
	char s[4096];
	size_t len;
};

static void msg_printf(struct msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void msg_printf(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->len >= sizeof m->s - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->s + m->len, sizeof m->s - m->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	m->len += (size_t)n;
	if (m->len > sizeof m->s - 1)
		m->len = sizeof m->s - 1;
}

/* Stores the escaped message; a message too long ends in "...". */
static void set_check(pg_policy_check *c, pg_code code, int ok, int skipped,
		      const struct msg *m)
{
	size_t cap = sizeof c->message;

	c->code = code;
	c->ok = ok;
	c->skipped = skipped;
	if (pg_escape_buf(c->message, cap, m->s, m->len) >= cap) {
		size_t n;

		pg_escape_buf(c->message, cap - 3, m->s, m->len);
		n = strlen(c->message);
		memcpy(c->message + n, "...", 4);
	}
}

/* ============================================================ checks */

static int list_has(const cJSON *list, const char *s)
{
	const cJSON *it;

	if (!s)
		return 0;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return 1;
	return 0;
}

/* A check that a manifest string is on a policy list. */
static void check_listed(pg_policy_check *c, pg_code code, const cJSON *manifest,
			 const char *key, const char *what, const cJSON *list,
			 const char *ok_word, const char *bad_word)
{
	struct msg m = { .len = 0 };
	const char *v = pg_json_str(pg_json_get(manifest, key));
	int ok = v && list_has(list, v);

	if (!v)
		msg_printf(&m, _("the manifest has no %s"), key);
	else
		msg_printf(&m, "%s \"%s\" %s", what, v, ok ? ok_word : bad_word);
	set_check(c, code, ok, 0, &m);
}

static void check_memory(const pg_policy *p, const cJSON *manifest, pg_policy_check *c)
{
	struct msg m = { .len = 0 };
	const cJSON *v = pg_json_get(pg_json_get(manifest, "resource_profile"),
				     "peak_ram_bytes");
	unsigned long long ram, ceiling = (unsigned long long)p->memory_ceiling_bytes;
	int ok = 0;

	if (!pg_json_is_uint(v, PG_INT_MAX)) {
		msg_printf(&m, _("resource_profile.peak_ram_bytes is not an integer"));
	} else {
		ram = (unsigned long long)v->valuedouble;
		ok = ram <= ceiling;
		msg_printf(&m, _("peak_ram_bytes %llu %s ceiling %llu"), ram,
			   ok ? "<=" : ">", ceiling);
	}
	set_check(c, PG_POLICY_MEMORY, ok, 0, &m);
}

static const char *tier_name(int t)
{
	static const char *const tiers[] = { "low", "medium", "high", "critical" };

	return t >= 0 && t < 4 ? tiers[t] : "?";
}

static void check_risk(const pg_policy *p, const cJSON *manifest, pg_policy_check *c)
{
	struct msg m = { .len = 0 };
	const char *s = pg_json_str(pg_json_get(pg_json_get(manifest, "risk_profile"),
						"safety_tier"));
	int tier = pg_safety_tier_parse(s), ok = 0;

	if (tier < 0) {
		msg_printf(&m, _("risk_profile.safety_tier is not a known tier"));
	} else {
		ok = tier <= p->max_risk_tier;
		msg_printf(&m, _("safety tier %s %s maximum %s"), tier_name(tier),
			   ok ? "<=" : ">", tier_name(p->max_risk_tier));
	}
	set_check(c, PG_POLICY_RISK_TIER, ok, 0, &m);
}

static int card_has_suite(const cJSON *card, const char *name)
{
	const cJSON *s;

	cJSON_ArrayForEach(s, pg_json_get(card, "suites")) {
		const char *n = pg_json_str(pg_json_get(s, "name"));

		if (n && strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

/* A count for ngettext (which takes unsigned long). */
static unsigned long plural_n(long long n)
{
	return n < 0 ? 0 : n > 1000000 ? 1000000 : (unsigned long)n;
}

static void check_evaluation(const pg_policy *p, const cJSON *card, time_t now,
			     pg_policy_check *c)
{
	struct msg bad = { .len = 0 }, good = { .len = 0 };
	const char *created = pg_json_str(pg_json_get(card, "created_at"));
	const cJSON *it;
	time_t t;
	size_t missing = 0, required = 0;

	if (!created || pg_rfc3339_parse(created, &t) != 0) {
		msg_printf(&bad, _("the evaluation card's created_at is not an RFC 3339 UTC timestamp"));
	} else {
		long long age = (long long)now - (long long)t;
		unsigned long long max = (unsigned long long)p->max_age_days;
		int unlimited = max > (unsigned long long)(INT64_MAX / DAY_SECONDS);

		if (age < -(long long)DAY_SECONDS) {
			char nowbuf[32];

			pg_rfc3339_format(now, nowbuf);
			msg_printf(&bad, _("evaluation card created_at %s is more than a day after now (%s)"),
				   created, nowbuf);
		} else if (!unlimited && age > (long long)max * DAY_SECONDS) {
			/* Rounded up: one second over 90 days is "91 days old". */
			long long days = (age + DAY_SECONDS - 1) / DAY_SECONDS;

			msg_printf(&bad, ngettext("evaluation card is %lld day old (max %llu)",
						  "evaluation card is %lld days old (max %llu)",
						  plural_n(days)), days, max);
		} else {
			long long days = age > 0 ? age / DAY_SECONDS : 0;

			msg_printf(&good, ngettext("evaluation card is %lld day old (max %llu)",
						   "evaluation card is %lld days old (max %llu)",
						   plural_n(days)), days, max);
		}
	}
	cJSON_ArrayForEach(it, p->required_suites) {
		required++;
		if (card_has_suite(card, it->valuestring))
			continue;
		if (!missing)
			msg_printf(&bad, "%s%s", bad.len ? "; " : "", _("missing suites: "));
		msg_printf(&bad, "%s%s", missing ? ", " : "", it->valuestring);
		missing++;
	}
	if (bad.len) {
		set_check(c, PG_POLICY_EVALUATION, 0, 0, &bad);
		return;
	}
	if (required)
		msg_printf(&good, ngettext("; %zu required suite present", "; all %zu required suites present",
		                           plural_n((long long)required)),
		           required);
	else
		msg_printf(&good, _("; no suites required"));
	set_check(c, PG_POLICY_EVALUATION, 1, 0, &good);
}

static pg_code check_parents(const cJSON *manifest, pg_parent_present_fn present,
			     void *ctx, pg_policy_check *c, pg_error *err)
{
	struct msg m = { .len = 0 };
	const cJSON *it;
	size_t n = 0, missing = 0;

	if (!present) {
		msg_printf(&m, _("no registry open; parents not checked"));
		set_check(c, PG_POLICY_PARENT_MISSING, 1, 1, &m);
		return PG_OK;
	}
	cJSON_ArrayForEach(it, pg_json_get(manifest, "parents")) {
		const char *id = pg_json_str(it);
		int r;

		n++;
		if (!id)
			continue;
		r = present(ctx, id);
		if (r < 0) {
			pg_code code = (pg_code)-r;

			if (code <= PG_USAGE || code >= PG_CODE_COUNT_)
				code = PG_IO_READ;
			return pg_err(err, code, _("cannot look up parent %s"), id);
		}
		if (r)
			continue;
		msg_printf(&m, "%s%s", missing ? ", " : _("parents not in the registry: "), id);
		missing++;
	}
	if (!missing) {
		if (n == 0)
			msg_printf(&m, _("no parents"));
		else
			msg_printf(&m, ngettext("the %zu parent is in the registry",
			                        "all %zu parents are in the registry", plural_n((long long)n)),
			           n);
	}
	set_check(c, PG_POLICY_PARENT_MISSING, missing == 0, 0, &m);
	return PG_OK;
}

static const char *const perm_categories[] = { "tools", "files", "network", "data_classes" };
#define NPERM_CATEGORIES 4

/* A sorted view of the strings of a JSON array, for membership tests in
 * O(log n) (pack documents may hold many). */
struct sset {
	const char **v;
	size_t n;
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int sset_build(const cJSON *list, struct sset *s)
{
	const cJSON *it;
	size_t n = 0;

	s->v = NULL;
	s->n = 0;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it))
			n++;
	if (n == 0)
		return 0;
	s->v = malloc(n * sizeof *s->v);
	if (!s->v)
		return -1;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it))
			s->v[s->n++] = it->valuestring;
	qsort(s->v, s->n, sizeof *s->v, str_cmp);
	return 0;
}

static int sset_has(const struct sset *s, const char *str)
{
	return s->n && bsearch(&str, s->v, s->n, sizeof *s->v, str_cmp) != NULL;
}

/* The strings of list in order, with dup[i] set for every string (i-th
 * string element) equal to an earlier one.  *strs and *dup are new
 * arrays (NULL when n is 0). */
static int list_strings(const cJSON *list, const char ***strs, unsigned char **dup,
			size_t *n)
{
	const cJSON *it;
	struct skey *k = NULL;

	*strs = NULL;
	*dup = NULL;
	*n = 0;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it))
			(*n)++;
	if (*n == 0)
		return 0;
	*strs = malloc(*n * sizeof **strs);
	*dup = malloc(*n);
	if (!*strs || !*dup)
		goto fail;
	*n = 0;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it))
			(*strs)[(*n)++] = it->valuestring;
	if (sort_keys(*strs, *n, &k) < 0)
		goto fail;
	mark_repeats(k, *n, *dup);
	free(k);
	return 0;
fail:
	free(*strs);
	free(*dup);
	*strs = NULL;
	*dup = NULL;
	return -1;
}

static pg_code check_permissions(const cJSON *contract, const cJSON *permissions,
				 pg_policy_check *c, pg_error *err)
{
	struct msg m = { .len = 0 };
	const cJSON *req = pg_json_get(permissions, "requested");
	const cJSON *max = pg_json_get(contract, "maximum_permissions");
	size_t bad = 0;
	pg_code rc = PG_OK;

	for (size_t k = 0; k < NPERM_CATEGORIES; k++) {
		struct sset allowed;
		const char **strs = NULL;
		unsigned char *dup = NULL;
		size_t n = 0;

		if (sset_build(pg_json_get(max, perm_categories[k]), &allowed) < 0 ||
		    list_strings(pg_json_get(req, perm_categories[k]), &strs, &dup, &n) < 0) {
			free(allowed.v);
			return pg_err(err, PG_IO_MEMORY, _("out of memory"));
		}
		for (size_t i = 0; i < n; i++) {
			if (dup[i] || sset_has(&allowed, strs[i]))
				continue;
			msg_printf(&m, _("%s%s: \"%s\" requested but not in the contract maximum"),
				   bad ? "; " : "", perm_categories[k], strs[i]);
			bad++;
		}
		free(allowed.v);
		free(strs);
		free(dup);
	}
	if (!bad)
		msg_printf(&m, _("requested permissions are within the contract maximum"));
	set_check(c, PG_POLICY_PERMISSIONS, bad == 0, 0, &m);
	return rc;
}

pg_code pg_policy_check_pack(const pg_policy *p, const cJSON *manifest,
			     const cJSON *contract, const cJSON *permissions,
			     const cJSON *card, time_t now,
			     pg_parent_present_fn parent_present, void *ctx,
			     pg_policy_check out[PG_POLICY_NCHECKS], pg_error *err)
{
	pg_code rc;

	if (!p || !manifest || !contract || !permissions || !card || !out)
		return pg_err(err, PG_SCHEMA,
			      _("the policy checks need the policy, the manifest, contract.json, permissions.json and the evaluation card"));
	memset(out, 0, PG_POLICY_NCHECKS * sizeof *out);
	check_listed(&out[PG_CHECK_INPUT_CONTRACT], PG_POLICY_INPUT_CONTRACT, manifest,
		     "input_contract", _("input contract"), p->allowed_inputs,
		     _("is allowed"), _("is not allowed"));
	check_listed(&out[PG_CHECK_OUTPUT_CONTRACT], PG_POLICY_OUTPUT_CONTRACT, manifest,
		     "output_contract", _("output contract"), p->allowed_outputs,
		     _("is allowed"), _("is not allowed"));
	{
		const cJSON *runtime = pg_json_get(manifest, "runtime");

		check_listed(&out[PG_CHECK_BACKEND], PG_POLICY_BACKEND, runtime,
			     "backend", _("backend"), p->supported_backends,
			     _("is supported"), _("is not supported"));
	}
	check_memory(p, manifest, &out[PG_CHECK_MEMORY]);
	check_risk(p, manifest, &out[PG_CHECK_RISK_TIER]);
	check_evaluation(p, card, now, &out[PG_CHECK_EVALUATION]);
	rc = check_parents(manifest, parent_present, ctx, &out[PG_CHECK_PARENT_MISSING], err);
	if (rc != PG_OK)
		return rc;
	return check_permissions(contract, permissions, &out[PG_CHECK_PERMISSIONS], err);
}

int pg_policy_checks_pass(const pg_policy_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!checks[i].ok)
			return 0;
	return 1;
}

int pg_policy_refuses_import(const pg_policy_check *checks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (checks[i].code == PG_POLICY_PERMISSIONS && !checks[i].ok)
			return 1;
	return 0;
}

pg_code pg_policy_granted(const pg_policy *p, const cJSON *contract,
			  const cJSON *permissions, cJSON **out, pg_error *err)
{
	const cJSON *req = pg_json_get(permissions, "requested");
	const cJSON *max = pg_json_get(contract, "maximum_permissions");
	cJSON *set = NULL;
	pg_code rc = PG_OK;

	*out = NULL;
	if (!p || !contract || !permissions)
		return pg_err(err, PG_SCHEMA,
			      _("the granted set needs the policy, contract.json and permissions.json"));
	set = cJSON_CreateObject();
	if (!set)
		goto oom;
	for (size_t k = 0; k < NPERM_CATEGORIES; k++) {
		struct sset in_max = { NULL, 0 }, in_env = { NULL, 0 };
		const char **strs = NULL;
		unsigned char *dup = NULL;
		size_t n = 0;
		cJSON *arr = cJSON_AddArrayToObject(set, perm_categories[k]);
		int bad = !arr ||
			  sset_build(pg_json_get(max, perm_categories[k]), &in_max) < 0 ||
			  sset_build(pg_json_get(p->environment_permissions,
						 perm_categories[k]), &in_env) < 0 ||
			  list_strings(pg_json_get(req, perm_categories[k]), &strs, &dup, &n) < 0;

		for (size_t i = 0; !bad && i < n; i++) {
			cJSON *s;

			if (dup[i] || !sset_has(&in_max, strs[i]) || !sset_has(&in_env, strs[i]))
				continue;
			s = cJSON_CreateString(strs[i]);
			if (!s || !cJSON_AddItemToArray(arr, s)) {
				cJSON_Delete(s);
				bad = 1;
			}
		}
		free(in_max.v);
		free(in_env.v);
		free(strs);
		free(dup);
		if (bad)
			goto oom;
	}
	*out = set;
	return rc;
oom:
	cJSON_Delete(set);
	return pg_err(err, PG_IO_MEMORY, _("out of memory"));
}
