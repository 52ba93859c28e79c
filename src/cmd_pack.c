/* cmd_pack.c */
#include "pg.h"
