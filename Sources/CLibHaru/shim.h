#ifndef LEDGERLINE_CLIBHARU_SHIM_H
#define LEDGERLINE_CLIBHARU_SHIM_H
#include <hpdf.h>
#endif
