/* error.c — stable codes, classes, exit statuses and the error record. */
#include "pg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

struct code_info {
	const char *name;
	const char *cls;
	int exit_status;
};

#define PG_CODE_INFO_(sym, name, cls, exitc) { name, cls, exitc },
static const struct code_info code_table[] = { PG_CODES(PG_CODE_INFO_) };
#undef PG_CODE_INFO_

static const struct code_info *info(pg_code code)
{
	if ((unsigned)code >= PG_CODE_COUNT_)
		code = PG_IO_READ; /* an out-of-range code is an internal fault */
	return &code_table[code];
}

const char *pg_code_name(pg_code code) { return info(code)->name; }
const char *pg_code_class(pg_code code) { return info(code)->cls; }
int pg_code_exit(pg_code code) { return info(code)->exit_status; }

int pg_code_from_name(const char *name)
{
	for (int i = 0; i < PG_CODE_COUNT_; i++)
		if (strcmp(code_table[i].name, name) == 0)
			return i;
	return -1;
}

void pg_error_clear(pg_error *err)
{
	if (!err)
		return;
	err->code = PG_OK;
	err->message[0] = '\0';
	err->path[0] = '\0';
	err->offset = -1;
}

/* Escapes raw into dst in place of its previous content. */
static void set_escaped(char *dst, size_t cap, const char *raw)
{
	pg_escape_buf(dst, cap, raw, strlen(raw));
}

pg_code pg_verr(pg_error *err, pg_code code, const char *fmt, va_list ap)
{
	char raw[2048];

	if (!err)
		return code;
	vsnprintf(raw, sizeof raw, fmt, ap);
	err->code = code;
	set_escaped(err->message, sizeof err->message, raw);
	return code;
}

pg_code pg_err(pg_error *err, pg_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_verr(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void pg_error_path(pg_error *err, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	set_escaped(err->path, sizeof err->path, raw);
}

pg_code pg_err_errno(pg_error *err, int errnum, int writing, const char *what)
{
	pg_code code;

	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		code = PG_IO_NOT_FOUND;
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		code = PG_IO_PERMISSION;
		break;
	case ENOMEM:
		code = PG_IO_MEMORY;
		break;
	default:
		code = writing ? PG_IO_WRITE : PG_IO_READ;
		break;
	}
	return pg_err(err, code, "%s: %s", what, strerror(errnum));
}
