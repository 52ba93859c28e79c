/* cmd_canon.c */
#include "pg.h"
