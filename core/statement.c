/* statement.c — approval and transition statements: one validator over a
 * cJSON tree, used both by the builder (on the tree it made) and by the
 * parser (on the tree the strict JSON layer made), so that what builds
 * always parses.  doc/signatures.md describes the format. */
#include "statement.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"
#include "digest.h"
#include "json.h"
#include "policy.h"
#include "rfc3339.h"
#include "semver.h"

/* What parse allocates besides the tree. */
struct stmt_mem {
	char *subject;                  /* "NAME\0VERSION\0sha256:HEX\0" */
	const char **approvals;
	pg_stmt_supersede *supersedes;
};

struct vctx {
	char path[256];
	size_t len;
	pg_error *err;
	pg_stmt *out;                   /* NULL: validate only */
	struct stmt_mem *mem;
};

static const char *const top_members[] = { "_type", "subject", "predicateType", "predicate" };
static const char *const subject_members[] = { "name", "digest" };
static const char *const digest_members[] = { "sha256" };
static const char *const approval_members[] = {
	"decision", "target", "role", "comment", "evaluation_card", "policy", "signer", "signed_at"
};
static const char *const transition_members[] = {
	"from", "to", "prev", "approvals", "supersedes", "policy", "signer", "signed_at", "comment"
};
static const char *const supersede_members[] = { "id", "from", "to" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *pg_stmt_kind_name(pg_stmt_kind k)
{
	switch (k) {
	case PG_STMT_APPROVAL:
		return "approval";
	case PG_STMT_TRANSITION:
		return "transition";
	}
	return NULL;
}

void pg_stmt_digest(const char *canon, size_t len, char out[PG_STMT_DIGEST_SIZE])
{
	char hex[PG_SHA256_HEX];

	pg_sha256_hex(canon, len, hex);
	snprintf(out, PG_STMT_DIGEST_SIZE, "sha256:%s", hex);
}

/* ================================================================ paths */

static size_t push_key(struct vctx *c, const char *key)
{
	size_t mark = c->len;
	int n = snprintf(c->path + c->len, sizeof c->path - c->len, "%s%s", c->len ? "." : "", key);

	if (n > 0)
		c->len += (size_t)n < sizeof c->path - c->len ? (size_t)n : sizeof c->path - c->len - 1;
	return mark;
}

static size_t push_index(struct vctx *c, size_t i)
{
	size_t mark = c->len;
	int n = snprintf(c->path + c->len, sizeof c->path - c->len, "[%zu]", i);

	if (n > 0)
		c->len += (size_t)n < sizeof c->path - c->len ? (size_t)n : sizeof c->path - c->len - 1;
	return mark;
}

static void pop(struct vctx *c, size_t mark)
{
	c->len = mark;
	c->path[mark] = '\0';
}

/* Fails at the current path with mpk.schema: "path: detail", or at the
 * root "statement: detail". */
static pg_code fail(struct vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static pg_code fail(struct vctx *c, const char *fmt, ...)
{
	char detail[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	pg_error_path(c->err, "%s", c->path);
	return pg_err(c->err, PG_SCHEMA, "%s: %s", c->len ? c->path : "statement", detail);
}

static pg_code oom(struct vctx *c)
{
	pg_error_path(c->err, "%s", "");
	return pg_err(c->err, PG_IO_MEMORY, _("out of memory"));
}

/* ============================================================ structure */

/* The first member of obj (document order) that is not in names[], as an
 * "unknown member" failure at its path. */
static pg_code only_members(struct vctx *c, const cJSON *obj, const char *const *names, size_t n)
{
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t i;

		for (i = 0; i < n; i++)
			if (strcmp(m->string, names[i]) == 0)
				break;
		if (i == n) {
			size_t mark = push_key(c, m->string);
			pg_code rc = fail(c, _("unknown member"));

			pop(c, mark);
			return rc;
		}
	}
	return PG_OK;
}

/* The member `key` of obj, or a "missing" failure at its path. */
static pg_code member(struct vctx *c, const cJSON *obj, const char *key, const cJSON **v)
{
	*v = pg_json_get(obj, key);
	if (!*v) {
		size_t mark = push_key(c, key);
		pg_code rc = fail(c, _("missing"));

		pop(c, mark);
		return rc;
	}
	return PG_OK;
}

/* ================================================================ forms */

/* Each checks the value at the current path; *s receives the string. */

static pg_code form_string(struct vctx *c, const cJSON *v, const char **s)
{
	*s = pg_json_str(v);
	if (!*s)
		return fail(c, _("not a string"));
	return PG_OK;
}

static pg_code form_digest(struct vctx *c, const cJSON *v, const char **s)
{
	pg_code rc = form_string(c, v, s);

	if (rc)
		return rc;
	if (!pg_is_pack_id(*s))
		return fail(c, _("not \"sha256:\" and 64 lowercase hex digits"));
	return PG_OK;
}

static pg_code form_state(struct vctx *c, const cJSON *v, pg_state *st)
{
	const char *s;
	pg_code rc = form_string(c, v, &s);
	int k;

	if (rc)
		return rc;
	k = pg_state_parse(s);
	if (k < 0)
		return fail(c, _("unknown state \"%s\""), s);
	*st = (pg_state)k;
	return PG_OK;
}

static pg_code form_hex64(struct vctx *c, const cJSON *v, const char **s)
{
	pg_code rc = form_string(c, v, s);

	if (rc)
		return rc;
	if (!pg_is_hex64(*s))
		return fail(c, _("not 64 lowercase hex digits"));
	return PG_OK;
}

/* A target state that must differ from `from`. */
static pg_code form_to(struct vctx *c, const cJSON *v, pg_state from, pg_state *to)
{
	pg_code rc = form_state(c, v, to);

	if (rc)
		return rc;
	if (*to == from)
		return fail(c, _("the same state as from"));
	return PG_OK;
}

static pg_code form_fingerprint(struct vctx *c, const cJSON *v, const char **s)
{
	pg_code rc = form_string(c, v, s);
	size_t i;

	if (rc)
		return rc;
	for (i = 0; (*s)[i]; i++)
		if (!((*s)[i] >= '0' && (*s)[i] <= '9') && !((*s)[i] >= 'A' && (*s)[i] <= 'F'))
			break;
	if (i != PG_FPR_LEN || (*s)[i])
		return fail(c, _("not an OpenPGP fingerprint (40 uppercase hex digits)"));
	return PG_OK;
}

static pg_code form_time(struct vctx *c, const cJSON *v, const char **s, time_t *t)
{
	pg_code rc = form_string(c, v, s);

	if (rc)
		return rc;
	if (pg_rfc3339_parse(*s, t) != 0)
		return fail(c, _("not an RFC 3339 UTC timestamp"));
	return PG_OK;
}

/* Checks member `key` of obj with a form; the path is pushed around it. */
#define CHECK_MEMBER(c, obj, key, call)                                   \
	do {                                                              \
		const cJSON *v_;                                          \
		size_t mark_;                                             \
		rc = member((c), (obj), (key), &v_);                      \
		if (rc)                                                   \
			return rc;                                        \
		mark_ = push_key((c), (key));                             \
		{                                                         \
			const cJSON *v = v_;                              \
			rc = (call);                                      \
		}                                                         \
		if (rc)                                                   \
			return rc;                                        \
		pop((c), mark_);                                          \
	} while (0)

/* ============================================================== subject */

static pg_code check_subject(struct vctx *c, const cJSON *subj)
{
	const cJSON *e, *dg;
	const char *name, *hex;
	size_t mark, mark2;
	pg_code rc;

	if (!cJSON_IsArray(subj))
		return fail(c, _("not a list"));
	if (cJSON_GetArraySize(subj) != 1)
		return fail(c, _("must hold exactly one subject (%d given)"), cJSON_GetArraySize(subj));
	e = subj->child;
	mark = push_index(c, 0);
	if (!cJSON_IsObject(e))
		return fail(c, _("not an object"));
	rc = only_members(c, e, subject_members, NELEM(subject_members));
	if (rc)
		return rc;

	CHECK_MEMBER(c, e, "name", form_string(c, v, &name));
	{
		const char *at = strchr(name, '@');
		char *copy;
		size_t nlen;

		/* pg_name_valid and pg_semver_valid refuse '@', so the first
		 * '@' is the only place a valid subject can split */
		if (!at) {
			push_key(c, "name");
			return fail(c, _("\"%s\" is not NAME@VERSION"), name);
		}
		nlen = (size_t)(at - name);
		copy = strdup(name);
		if (!copy)
			return oom(c);
		copy[nlen] = '\0';
		if (!pg_name_valid(copy) || !pg_semver_valid(copy + nlen + 1)) {
			free(copy);
			push_key(c, "name");
			return fail(c, _("\"%s\" is not NAME@VERSION with a valid name and SemVer version"),
			            name);
		}
		free(copy);
	}

	rc = member(c, e, "digest", &dg);
	if (rc)
		return rc;
	mark2 = push_key(c, "digest");
	if (!cJSON_IsObject(dg))
		return fail(c, _("not an object"));
	rc = only_members(c, dg, digest_members, NELEM(digest_members));
	if (rc)
		return rc;
	CHECK_MEMBER(c, dg, "sha256", form_hex64(c, v, &hex));
	pop(c, mark2);
	pop(c, mark);

	if (c->out) {
		size_t nlen = strlen(name), total = nlen + 1 + 7 + 64 + 1;
		char *buf = malloc(total);

		if (!buf)
			return oom(c);
		memcpy(buf, name, nlen + 1);
		buf[strchr(buf, '@') - buf] = '\0';
		snprintf(buf + nlen + 1, 7 + 64 + 1, "sha256:%s", hex);
		c->mem->subject = buf;
		c->out->name = buf;
		c->out->version = buf + strlen(buf) + 1;
		c->out->pack_id = buf + nlen + 1;
	}
	return PG_OK;
}

/* ============================================================ predicate */

static pg_code check_decision(struct vctx *c, const cJSON *v, pg_decision *d)
{
	const char *s;
	pg_code rc = form_string(c, v, &s);

	if (rc)
		return rc;
	if (strcmp(s, "approve") == 0)
		*d = PG_DECISION_APPROVE;
	else if (strcmp(s, "reject") == 0)
		*d = PG_DECISION_REJECT;
	else
		return fail(c, _("not \"approve\" or \"reject\""));
	return PG_OK;
}

static pg_code check_role(struct vctx *c, const cJSON *v, unsigned *role)
{
	const char *s;
	pg_code rc = form_string(c, v, &s);

	if (rc)
		return rc;
	*role = pg_person_role_parse(s);
	if (!*role)
		return fail(c, _("unknown role \"%s\""), s);
	return PG_OK;
}

static pg_code check_prev(struct vctx *c, const cJSON *v, const char **prev)
{
	*prev = NULL;
	if (cJSON_IsNull(v))
		return PG_OK;
	if (!cJSON_IsString(v))
		return fail(c, _("not a string or null"));
	return form_digest(c, v, prev);
}

static pg_code check_approvals(struct vctx *c, const cJSON *v)
{
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	const char **list = NULL;
	const cJSON *e;
	pg_code rc = PG_OK;

	if (!cJSON_IsArray(v))
		return fail(c, _("not a list"));
	if (n) {
		list = calloc(n, sizeof *list);
		if (!list)
			return oom(c);
	}
	cJSON_ArrayForEach(e, v) {
		size_t mark = push_index(c, i);

		rc = form_digest(c, e, &list[i]);
		for (size_t j = 0; !rc && j < i; j++) {
			if (strcmp(list[i], list[j]) == 0) {
				char first[sizeof c->path];

				snprintf(first, sizeof first, "%.*s[%zu]", (int)mark, c->path, j);
				rc = fail(c, _("same value as %s"), first);
			}
		}
		if (rc)
			break;
		pop(c, mark);
		i++;
	}
	if (rc || !c->out) {
		free(list);
		return rc;
	}
	c->mem->approvals = list;
	c->out->approvals = list;
	c->out->napprovals = n;
	return PG_OK;
}

static pg_code check_supersedes(struct vctx *c, const cJSON *v)
{
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	pg_stmt_supersede *list = NULL;
	const cJSON *e;
	pg_code rc = PG_OK;

	if (!cJSON_IsArray(v))
		return fail(c, _("not a list"));
	if (n) {
		list = calloc(n, sizeof *list);
		if (!list)
			return oom(c);
	}
	cJSON_ArrayForEach(e, v) {
		size_t mark = push_index(c, i);
		pg_stmt_supersede *s = &list[i];

		if (!cJSON_IsObject(e)) {
			rc = fail(c, _("not an object"));
			break;
		}
		rc = only_members(c, e, supersede_members, NELEM(supersede_members));
		if (rc)
			break;
		{
			const cJSON *m;
			size_t mk;

			if ((rc = member(c, e, "id", &m)) != PG_OK)
				break;
			mk = push_key(c, "id");
			if ((rc = form_digest(c, m, &s->id)) != PG_OK)
				break;
			pop(c, mk);
			if ((rc = member(c, e, "from", &m)) != PG_OK)
				break;
			mk = push_key(c, "from");
			if ((rc = form_state(c, m, &s->from)) != PG_OK)
				break;
			pop(c, mk);
			if ((rc = member(c, e, "to", &m)) != PG_OK)
				break;
			mk = push_key(c, "to");
			if ((rc = form_to(c, m, s->from, &s->to)) != PG_OK)
				break;
			pop(c, mk);
		}
		pop(c, mark);
		i++;
	}
	if (rc || !c->out) {
		free(list);
		return rc;
	}
	c->mem->supersedes = list;
	c->out->supersedes = list;
	c->out->nsupersedes = n;
	return PG_OK;
}

static pg_code check_approval(struct vctx *c, const cJSON *p, pg_stmt *o)
{
	pg_code rc;

	rc = only_members(c, p, approval_members, NELEM(approval_members));
	if (rc)
		return rc;
	CHECK_MEMBER(c, p, "decision", check_decision(c, v, &o->decision));
	CHECK_MEMBER(c, p, "target", form_state(c, v, &o->target));
	CHECK_MEMBER(c, p, "role", check_role(c, v, &o->role));
	CHECK_MEMBER(c, p, "comment", form_string(c, v, &o->comment));
	CHECK_MEMBER(c, p, "evaluation_card", form_digest(c, v, &o->evaluation_card));
	CHECK_MEMBER(c, p, "policy", form_digest(c, v, &o->policy));
	CHECK_MEMBER(c, p, "signer", form_fingerprint(c, v, &o->signer));
	CHECK_MEMBER(c, p, "signed_at", form_time(c, v, &o->signed_at, &o->signed_at_time));
	return PG_OK;
}

static pg_code check_transition(struct vctx *c, const cJSON *p, pg_stmt *o)
{
	pg_code rc;

	rc = only_members(c, p, transition_members, NELEM(transition_members));
	if (rc)
		return rc;
	CHECK_MEMBER(c, p, "from", form_state(c, v, &o->from));
	CHECK_MEMBER(c, p, "to", form_to(c, v, o->from, &o->to));
	CHECK_MEMBER(c, p, "prev", check_prev(c, v, &o->prev));
	CHECK_MEMBER(c, p, "approvals", check_approvals(c, v));
	CHECK_MEMBER(c, p, "supersedes", check_supersedes(c, v));
	CHECK_MEMBER(c, p, "policy", form_digest(c, v, &o->policy));
	CHECK_MEMBER(c, p, "signer", form_fingerprint(c, v, &o->signer));
	CHECK_MEMBER(c, p, "signed_at", form_time(c, v, &o->signed_at, &o->signed_at_time));
	CHECK_MEMBER(c, p, "comment", form_string(c, v, &o->comment));
	return PG_OK;
}

/* The whole statement, in the order of statement.h.  c->out, when set,
 * receives the fields (strings borrowed from the tree). */
static pg_code validate(struct vctx *c, const cJSON *root)
{
	pg_stmt scratch, *o = c->out ? c->out : &scratch;
	const cJSON *type, *subj, *ptype, *pred;
	const char *s;
	size_t mark;
	pg_code rc;

	memset(&scratch, 0, sizeof scratch);
	if (!cJSON_IsObject(root))
		return fail(c, _("not a JSON object"));
	rc = only_members(c, root, top_members, NELEM(top_members));
	if (rc)
		return rc;
	if ((rc = member(c, root, "_type", &type)) || (rc = member(c, root, "subject", &subj)) ||
	    (rc = member(c, root, "predicateType", &ptype)) ||
	    (rc = member(c, root, "predicate", &pred)))
		return rc;

	mark = push_key(c, "_type");
	if ((rc = form_string(c, type, &s)) != PG_OK)
		return rc;
	if (strcmp(s, PG_STMT_TYPE) != 0)
		return fail(c, _("not \"%s\""), PG_STMT_TYPE);
	pop(c, mark);

	mark = push_key(c, "subject");
	if ((rc = check_subject(c, subj)) != PG_OK)
		return rc;
	pop(c, mark);

	mark = push_key(c, "predicateType");
	if ((rc = form_string(c, ptype, &s)) != PG_OK)
		return rc;
	if (strcmp(s, PG_STMT_APPROVAL_TYPE) == 0)
		o->kind = PG_STMT_APPROVAL;
	else if (strcmp(s, PG_STMT_TRANSITION_TYPE) == 0)
		o->kind = PG_STMT_TRANSITION;
	else
		return fail(c, _("not \"%s\" or \"%s\""), PG_STMT_APPROVAL_TYPE, PG_STMT_TRANSITION_TYPE);
	pop(c, mark);

	mark = push_key(c, "predicate");
	if (!cJSON_IsObject(pred))
		return fail(c, _("not an object"));
	rc = o->kind == PG_STMT_APPROVAL ? check_approval(c, pred, o) : check_transition(c, pred, o);
	if (rc)
		return rc;
	pop(c, mark);
	return PG_OK;
}

/* ================================================================ build */

static int add_str(cJSON *obj, const char *key, const char *s)
{
	if (!s)
		return 0; /* left out: the validator reports it missing */
	return cJSON_AddStringToObject(obj, key, s) ? 0 : -1;
}

static cJSON *build_tree(const pg_stmt *st, int *oom_flag)
{
	cJSON *root = cJSON_CreateObject(), *subj, *e, *dg, *p;
	char *sname = NULL;
	int bad = 0;

	*oom_flag = 0;
	if (!root)
		goto oom;
	bad |= add_str(root, "_type", PG_STMT_TYPE);
	subj = cJSON_AddArrayToObject(root, "subject");
	e = cJSON_CreateObject();
	if (!subj || !e) {
		cJSON_Delete(e);
		goto oom;
	}
	cJSON_AddItemToArray(subj, e);
	if (st->name && st->version) {
		if (asprintf(&sname, "%s@%s", st->name, st->version) < 0) {
			sname = NULL;
			goto oom;
		}
		bad |= add_str(e, "name", sname);
	}
	dg = cJSON_AddObjectToObject(e, "digest");
	if (!dg)
		goto oom;
	if (st->pack_id)
		bad |= add_str(dg, "sha256", strncmp(st->pack_id, "sha256:", 7) == 0 ?
		                              st->pack_id + 7 : st->pack_id);
	bad |= add_str(root, "predicateType", pg_stmt_kind_name(st->kind) == NULL ? NULL :
	               st->kind == PG_STMT_APPROVAL ? PG_STMT_APPROVAL_TYPE : PG_STMT_TRANSITION_TYPE);
	p = cJSON_AddObjectToObject(root, "predicate");
	if (!p)
		goto oom;
	if (st->kind == PG_STMT_APPROVAL) {
		const char *d = st->decision == PG_DECISION_APPROVE ? "approve" :
		                st->decision == PG_DECISION_REJECT ? "reject" : NULL;

		bad |= add_str(p, "decision", d);
		bad |= add_str(p, "target", pg_state_name(st->target));
		bad |= add_str(p, "role", pg_person_role_name(st->role));
		bad |= add_str(p, "comment", st->comment);
		bad |= add_str(p, "evaluation_card", st->evaluation_card);
	} else if (st->kind == PG_STMT_TRANSITION) {
		cJSON *list;

		bad |= add_str(p, "from", pg_state_name(st->from));
		bad |= add_str(p, "to", pg_state_name(st->to));
		if (st->prev)
			bad |= add_str(p, "prev", st->prev);
		else if (!cJSON_AddNullToObject(p, "prev"))
			goto oom;
		list = cJSON_AddArrayToObject(p, "approvals");
		if (!list)
			goto oom;
		for (size_t i = 0; i < st->napprovals; i++) {
			cJSON *s = cJSON_CreateString(st->approvals[i] ? st->approvals[i] : "");

			if (!s)
				goto oom;
			cJSON_AddItemToArray(list, s);
		}
		list = cJSON_AddArrayToObject(p, "supersedes");
		if (!list)
			goto oom;
		for (size_t i = 0; i < st->nsupersedes; i++) {
			cJSON *o = cJSON_CreateObject();

			if (!o)
				goto oom;
			cJSON_AddItemToArray(list, o);
			bad |= add_str(o, "id", st->supersedes[i].id);
			bad |= add_str(o, "from", pg_state_name(st->supersedes[i].from));
			bad |= add_str(o, "to", pg_state_name(st->supersedes[i].to));
		}
		bad |= add_str(p, "comment", st->comment);
	}
	bad |= add_str(p, "policy", st->policy);
	bad |= add_str(p, "signer", st->signer);
	bad |= add_str(p, "signed_at", st->signed_at);
	if (bad)
		goto oom;
	free(sname);
	return root;
oom:
	free(sname);
	cJSON_Delete(root);
	*oom_flag = 1;
	return NULL;
}

pg_code pg_stmt_build(const pg_stmt *st, char **out, size_t *outlen, pg_error *err)
{
	struct vctx c;
	cJSON *tree;
	int oomf;
	pg_code rc;

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.err = err;
	tree = build_tree(st, &oomf);
	if (!tree)
		return oom(&c);
	rc = validate(&c, tree);
	if (!rc)
		rc = pg_canon(tree, out, outlen, err);
	cJSON_Delete(tree);
	return rc;
}

/* ================================================================ parse */

static void mem_free(struct stmt_mem *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->approvals);
	free(m->supersedes);
	free(m);
}

void pg_stmt_free(pg_stmt *st)
{
	if (!st)
		return;
	cJSON_Delete(st->doc_);
	mem_free(st->mem_);
	free(st);
}

pg_code pg_stmt_parse(const char *buf, size_t len, pg_stmt **out, pg_error *err)
{
	struct vctx c;
	pg_stmt *st = NULL;
	cJSON *doc = NULL;
	char *canon = NULL;
	size_t clen = 0;
	pg_code rc;

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.err = err;
	rc = pg_json_parse(buf, len, NULL, &doc, err);
	if (rc)
		return rc;
	st = calloc(1, sizeof *st);
	if (st)
		st->mem_ = c.mem = calloc(1, sizeof *c.mem);
	if (!st || !c.mem) {
		rc = oom(&c);
		goto out;
	}
	st->doc_ = doc;
	doc = NULL;
	c.out = st;
	rc = validate(&c, st->doc_);
	if (rc)
		goto out;
	rc = pg_canon(st->doc_, &canon, &clen, err);
	if (rc)
		goto out;
	if (clen != len || memcmp(canon, buf, len) != 0) {
		pg_error_path(err, "%s", "");
		rc = pg_err(err, PG_SCHEMA, _("statement: not in RFC 8785 canonical form"));
		goto out;
	}
	*out = st;
	st = NULL;
out:
	free(canon);
	cJSON_Delete(doc);
	pg_stmt_free(st);
	return rc;
}
