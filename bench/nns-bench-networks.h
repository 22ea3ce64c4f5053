/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The networks every benchmark table covers, one of each shape: small, deep,
 * wide, and layers of sub-pixel neurons. Header-only: each program is one
 * file. */

#include <glib.h>

static const struct
{
  const char *name;
  const char *layers;   /* NULL: n_layers layers of width (and the input) */
  guint       n_layers, width;
} NNS_BENCH_NETWORKS[] = {
  { "lesson 10-18-20-5", "10,18,20,5" },
  { "64x3-10", "64,64,64,10" },
  { "128x3-10", "128,128,128,10" },
  { "MNIST 784-256-128-10", "784,256,128,10" },
  { "1000x4", "1000,1000,1000,1000" },
  { "32 layers of 16", NULL, 32, 16 },
  { "256 layers of 4", NULL, 256, 4 },
  { "100000-1000", "100000,1000" },
  { "1000000-10", "1000000,10" },
};

/* "10,18,20,5": the k-th network as nns_network_new_from_string() reads it. */
static inline char *
nns_bench_layers (guint k)
{
  GString *s;

  if (NNS_BENCH_NETWORKS[k].layers != NULL)
    return g_strdup (NNS_BENCH_NETWORKS[k].layers);
  s = g_string_new (NULL);
  for (guint i = 0; i <= NNS_BENCH_NETWORKS[k].n_layers; i++)
    g_string_append_printf (s, "%s%u", i ? "," : "", NNS_BENCH_NETWORKS[k].width);
  return g_string_free (s, FALSE);
}

/* Up and down, as a slider drag goes: 0, 1, … 19, 20, 19, … 1, 0, 1 … */
static inline guint
nns_bench_triangle (guint i)
{
  return i % 40 < 20 ? i % 20 : 20 - i % 20;
}
