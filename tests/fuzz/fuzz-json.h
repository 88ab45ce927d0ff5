/* fuzz-json.h — the JSON decoders' fuzz target, as libFuzzer and the corpus replay call it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int         LLVMFuzzerInitialize     (int            *argc,
                                      char         ***argv);
int         LLVMFuzzerTestOneInput   (const uint8_t  *data,
                                      size_t          size);

/* The decoder an input's first byte selects; corpus files are named
 * "<name>--<label>". */
const char *fuzz_json_decoder_name   (guint8          selector);
guint       fuzz_json_n_decoders     (void);

G_END_DECLS
