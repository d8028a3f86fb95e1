/* lib/fstab.c: being written */
#include "jail-int.h"
