// SPDX-License-Identifier: BSD-2-Clause
/*
 * net-int.h: lib/net's own: the embedded BPF objects (bpfobj.c).
 */
#ifndef GAOL_NET_INT_H
#define GAOL_NET_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "net/net.h"

int bpfobj_open(const unsigned char *img, size_t len, const void *cfg,
    size_t size, const char *what, struct bpf_object **ret);
void bpfobj_select(struct bpf_object *obj,
    bool (*keep)(unsigned type, const void *arg), const void *arg);
int bpfobj_attach(struct bpf_object *obj, int cgfd, const char *what);

#endif
