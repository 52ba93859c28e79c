/* cli.c */
#include "pg.h"
