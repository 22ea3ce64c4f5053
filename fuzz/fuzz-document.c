/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the document loader and the input sniffer: no crash,
 * no leak, every failure explained, every success round-trips. */
#define G_LOG_DOMAIN "fuzz-document"

#include <stdint.h>
#include <string.h>

#include "fuzz-common.h"

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
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (NnsNetwork) document = NULL;
  g_autofree char *notes = NULL;
  gboolean is_document = FALSE;
  NnsStyle style;

  /* The bytes as they come, not NUL-terminated: length must be honoured. */
  nns_style_init_default (&style);
  network = nns_input_load_data ((const char *) data, size, &style, &is_document, &notes, &error);
  if (network == NULL)
    fuzz_check_error (error);
  else
    {
      fuzz_check_network (network);
      fuzz_check_round_trips (network, &style);
    }
  g_clear_error (&error);

  {
    NnsStyle doc_style;

    document = nns_document_load_data ((const char *) data, size, &doc_style, &error);
    if (document == NULL)
      fuzz_check_error (error);
    else
      {
        fuzz_check_network (document);
        fuzz_check_round_trips (document, &doc_style);
      }
  }
  return 0;
}
