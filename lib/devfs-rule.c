/* lib/devfs-rule.c: being written */
#include "jail-int.h"
