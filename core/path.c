/* path.c — placeholder until its module lands. */
#include "pg.h"
