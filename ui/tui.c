/* tui.c */
#include "tui.h"
int pg_tui_placeholder(void) { return 0; }
