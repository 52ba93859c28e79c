/* fixtures.c — placeholder. */
#include "fixtures.h"
int pg_fixtures_placeholder;
