/* view_files.c — the pack view's Files tab: every member with its role,
 * size, digest and verification status; `v` re-hashes every blob of the
 * registry against its digest, with a progress bar on the status line. */
#include "tui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "model.h"

enum fstatus { F_NOT_CHECKED, F_VERIFIED, F_MISMATCH, F_MISSING, F_UNREADABLE };

struct files {
	tui_pack *P;
	enum fstatus *st;
	unsigned char *open;   /* rows expanded with Enter */
	uint64_t total;
};

static const char *status_text(enum fstatus s)
{
	switch (s) {
	case F_VERIFIED: return _("verified");
	case F_MISMATCH: return _("mismatch");
	case F_MISSING: return _("missing");
	case F_UNREADABLE: return _("unreadable");
	default: return _("not checked");
	}
}

static tui_color status_color(enum fstatus s)
{
	switch (s) {
	case F_VERIFIED: return TC_CHECK_PASS;
	case F_NOT_CHECKED: return TC_DIM;
	default: return TC_CHECK_FAIL;
	}
}

static void build(tui *t, tui_view *v, int w)
{
	struct files *F = v->priv;
	const pg_reg_pack *p = F->P->p;
	tui_text *x = &v->text;
	int wide = w >= 140;
	int dw = wide ? 64 : 13, pw;
	tui_line *l;
	char buf[64];

	tl_clear(x);
	x->built_w = w;
	pw = w - 1 - 17 - 11 - dw - 1 - 12 - 1;
	if (pw < 10)
		pw = 10;
	tm_bytes(F->total, buf, sizeof buf);
	l = tl_new(x);
	tl_addf(x, l, TC_DIM, ngettext(" %zu file, %s", " %zu files, %s", p->nfiles), p->nfiles, buf);
	l = tl_new(x);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("ROLE"), 17, 0);
	tl_addw(x, l, TC_HEADER, _("SIZE"), 10, 1);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, "SHA-256", dw, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("STATUS"), 12, 0);
	tl_add(x, l, TC_HEADER, " ");
	tl_addw(x, l, TC_HEADER, _("PATH"), pw, 0);
	for (size_t i = 0; i < p->nfiles; i++) {
		const pg_reg_file *f = &p->files[i];

		l = tl_new(x);
		if (!l)
			break;
		l->selectable = 1;
		l->data = (long)i;
		tm_bytes(f->size, buf, sizeof buf);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_NORMAL, f->role, 17, 0);
		tl_addw(x, l, TC_NORMAL, buf, 10, 1);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, TC_DIM, f->sha256, dw, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_addw(x, l, status_color(F->st[i]), status_text(F->st[i]), 12, 0);
		tl_add(x, l, TC_NORMAL, " ");
		tl_add(x, l, TC_NORMAL, f->path);
		if (F->open[i]) {
			char *blob = t->reg ? pg_reg_blob_path(t->reg, f->sha256) : NULL;
			const char *dir = t->reg ? pg_reg_dir(t->reg) : NULL;
			const char *shown = blob;

			/* shown relative to the registry's directory */
			if (blob && dir && !strncmp(blob, dir, strlen(dir)) && blob[strlen(dir)] == '/')
				shown = blob + strlen(dir) + 1;

			tl_wrap(x, TC_LABEL, _("   path"), 12, TC_NORMAL, f->path, w);
			tl_wrap(x, TC_LABEL, _("   sha256"), 12, TC_NORMAL, f->sha256, w);
			snprintf(buf, sizeof buf, "%llu %s", (unsigned long long)f->size, _("bytes"));
			tl_wrap(x, TC_LABEL, _("   size"), 12, TC_NORMAL, buf, w);
			tl_wrap(x, TC_LABEL, _("   blob"), 12, TC_DIM, shown ? shown : "?", w);
			free(blob);
		}
	}
}

/* Draws the progress bar on the status line while hashing. */
static void progress(uint64_t done, uint64_t total, size_t file, size_t nfiles)
{
	char bar[256], msg[320];
	int bw = COLS - 40, fill;

	if (bw > 60)
		bw = 60;
	if (bw < 10)
		bw = 10;
	fill = total ? (int)((double)done / (double)total * bw) : bw;
	if (fill > bw)
		fill = bw;
	bar[0] = '\0';
	for (int i = 0; i < bw; i++)
		strcat(bar, i < fill ? "\xe2\x96\x88" : "\xe2\x96\x91");
	snprintf(msg, sizeof msg, "%s %zu/%zu %s %3d%%", _("hashing members"), file, nfiles, bar,
	         total ? (int)(done * 100 / total) : 100);
	tui_fill(LINES - 1, 0, COLS, TC_STATUS);
	tui_put(LINES - 1, 0, COLS, TC_BAR, msg);
	refresh();
}

static enum fstatus verify_one(tui *t, const pg_reg_file *f, uint64_t *done, uint64_t total,
                               size_t i, size_t n)
{
	char *path = pg_reg_blob_path(t->reg, f->sha256);
	char hex[PG_SHA256_HEX];
	static unsigned char buf[1 << 20];
	pg_sha256 ctx;
	pg_error err;
	FILE *fp;
	size_t got;
	uint64_t since = 0;
	enum fstatus st;

	if (!path)
		return F_UNREADABLE;
	fp = fopen(path, "rb");
	free(path);
	if (!fp)
		return errno == ENOENT ? F_MISSING : F_UNREADABLE;
	if (pg_sha256_begin(&ctx, &err)) {
		fclose(fp);
		return F_UNREADABLE;
	}
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
		pg_sha256_update(&ctx, buf, got);
		*done += got;
		since += got;
		if (since >= (8u << 20) && !t->scripted) {
			since = 0;
			progress(*done, total, i + 1, n);
		}
	}
	if (ferror(fp)) {
		pg_sha256_abort(&ctx);
		fclose(fp);
		return F_UNREADABLE;
	}
	fclose(fp);
	pg_sha256_end(&ctx, hex);
	st = strcmp(hex, f->sha256) ? F_MISMATCH : F_VERIFIED;
	return st;
}

static void verify_all(tui *t, tui_view *v)
{
	struct files *F = v->priv;
	const pg_reg_pack *p = F->P->p;
	uint64_t done = 0;
	size_t bad = 0;

	if (!t->reg)
		return;
	for (size_t i = 0; i < p->nfiles; i++) {
		F->st[i] = verify_one(t, &p->files[i], &done, F->total, i, p->nfiles);
		bad += F->st[i] != F_VERIFIED;
		if (!t->scripted)
			progress(done, F->total, i + 1, p->nfiles);
	}
	if (bad) {
		pg_error err;

		pg_err(&err, PG_DIGEST_MISMATCH,
		       ngettext("%zu of %zu file failed verification", "%zu of %zu files failed verification", p->nfiles),
		       bad, p->nfiles);
		tui_status_err(t, &err);
	} else {
		tui_status(t, ngettext("the %zu file is verified", "all %zu files verified", p->nfiles), p->nfiles);
	}
	tui_text_invalidate(v);
}

static int files_open(tui *t, tui_view *v, void *arg)
{
	struct files *F = calloc(1, sizeof *F);
	size_t n;

	(void)t;
	if (!F)
		return -1;
	v->priv = F;
	F->P = arg;
	n = F->P->p->nfiles ? F->P->p->nfiles : 1;
	F->st = calloc(n, sizeof *F->st);
	F->open = calloc(n, 1);
	if (!F->st || !F->open)
		return -1;
	for (size_t i = 0; i < F->P->p->nfiles; i++)
		F->total += F->P->p->files[i].size;
	return 0;
}

static void files_draw(tui *t, tui_view *v, const tui_rect *r)
{
	if (v->text.built_w != r->w) {
		tui_line *l = tui_text_current(v);
		long keep = l ? l->data : 0;

		build(t, v, r->w);
		tui_text_keep(v, 1, keep);
	}
	tui_text_draw(t, v, r);
}

static tui_req files_request(tui *t, tui_view *v, tui_req req)
{
	struct files *F = v->priv;
	tui_line *l;

	switch (req) {
	case REQ_VERIFY:
		verify_all(t, v);
		return REQ_NONE;
	case REQ_ENTER:
		if ((l = tui_text_current(v)) != NULL) {
			long keep = l->data;

			F->open[keep] = !F->open[keep];
			build(t, v, v->text.built_w ? v->text.built_w : COLS);
			tui_text_keep(v, 1, keep);
			tui_text_reveal(v);
		}
		return REQ_NONE;
	default:
		return tui_text_request(t, v, req);
	}
}

static void files_done(tui_view *v)
{
	struct files *F = v->priv;

	if (F) {
		free(F->st);
		free(F->open);
		free(F);
	}
	v->priv = NULL;
}

static const tui_req files_hints[] = {
	REQ_VERIFY, REQ_ENTER, REQ_NEXT_TAB, REQ_VIEW_EVAL, REQ_VIEW_LINEAGE, REQ_APPROVE,
	REQ_TRANSITION, REQ_HELP, REQ_QUIT, REQ_NONE,
};

const tui_view_ops tui_files_ops = {
	.name = N_("Files"),
	.scopes = TUI_SCOPE_FILES,
	.open = files_open,
	.draw = files_draw,
	.request = files_request,
	.select = NULL,
	.done = files_done,
	.hints = files_hints,
	.pack = NULL,
};
