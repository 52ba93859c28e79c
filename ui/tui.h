/* tui.h */
#ifndef PG_TUI_H
#define PG_TUI_H
int pg_tui_placeholder(void);
#endif
