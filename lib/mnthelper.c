/* lib/mnthelper.c: being written */
#include "jail-int.h"
