#ifndef SHROFF_CNCURSESW_SHIM_H
#define SHROFF_CNCURSESW_SHIM_H
// SwiftPM drops ncursesw's -D_XOPEN_SOURCE; without this the wide-character API vanishes.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

// Macros Swift cannot import, as functions. Only TerminalUI's driver calls these.

static inline attr_t shroff_attr_normal(void) { return A_NORMAL; }
static inline attr_t shroff_attr_bold(void) { return A_BOLD; }
static inline attr_t shroff_attr_dim(void) { return A_DIM; }
static inline attr_t shroff_attr_reverse(void) { return A_REVERSE; }
static inline attr_t shroff_attr_underline(void) { return A_UNDERLINE; }

static inline int shroff_key_f(int n) { return KEY_F(n); }

// getmaxyx is a macro; these read the window's size without touching the LINES/COLS globals.
static inline int shroff_window_rows(WINDOW *win) { return getmaxy(win); }
static inline int shroff_window_columns(WINDOW *win) { return getmaxx(win); }

// wattr_set is a macro with a function twin; one typed entry point either way.
static inline int shroff_set_attributes(WINDOW *win, attr_t attributes, short pair) {
    return wattr_set(win, attributes, pair, NULL);
}

// stdin, stdout and stdscr are C globals Swift 6 refuses to touch; read them here.
// newterm rather than initscr: initscr exits the process on an unknown TERM.
static inline SCREEN *shroff_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline WINDOW *shroff_stdscr(void) { return stdscr; }

// The locale's character set name ("UTF-8", "ANSI_X3.4-1968"), read after setlocale.
static inline const char *shroff_codeset(void) { return nl_langinfo(CODESET); }

#endif
