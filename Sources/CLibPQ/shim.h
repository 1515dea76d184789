#ifndef LEDGERLINE_CLIBPQ_SHIM_H
#define LEDGERLINE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
