#ifndef SHROFF_CQRENCODE_SHIM_H
#define SHROFF_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
