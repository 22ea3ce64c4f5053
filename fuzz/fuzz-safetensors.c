/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the safetensors reader: no crash, no leak, no read past the
 * input, every failure explained, every success fits, is finite and
 * round-trips through the safetensors writer. */
#define G_LOG_DOMAIN "fuzz-safetensors"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"
#include "nns-model-file-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_run_model_reader (_nns_safetensors_read, data, size);
  return 0;
}
