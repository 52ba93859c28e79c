/* rfc3339.c — placeholder until its module lands. */
#include "pg.h"
