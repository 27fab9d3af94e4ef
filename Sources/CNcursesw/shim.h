#ifndef SHROFF_CNCURSESW_SHIM_H
#define SHROFF_CNCURSESW_SHIM_H
// SwiftPM drops ncursesw's -D_XOPEN_SOURCE; without this the wide-character API vanishes.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
