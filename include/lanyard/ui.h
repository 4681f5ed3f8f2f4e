/* The browser. Its parts, by concern:
 *   ui_keys.h    actions, the key table, footer hints
 *   ui_draw.h    colours as roles, drawing helpers, the terminal
 *   ui_screen.h  screens, the driver, the registry, marks and undo
 *   ui_list.h    the line-list widget the list views share
 *   ui_editor.h  the takeaways editor widget
 */
#ifndef LANYARD_UI_H
#define LANYARD_UI_H

#include "lanyard/error.h"
#include "lanyard/store.h"
#include "lanyard/ui_draw.h"
#include "lanyard/ui_keys.h"
#include "lanyard/ui_screen.h"

/* Entry point: run the browser until the user quits. main.c has called
 * setlocale and opened the store. conf_name NULL = most recent conference;
 * opt NULL = the defaults (reminders 5 minutes before, no bell). */
int ui_run(struct store *st, const char *conf_name, const struct ui_options *opt, struct ly_error *err);

#endif
