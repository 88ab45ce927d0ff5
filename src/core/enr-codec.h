/* enr-codec.h — GObject ⇄ JSON, driven by the class's properties
 *
 * See docs/model.md for the mapping. Decoding never trusts its input: every
 * error is a GError in ENR_CODEC_ERROR whose message names the member path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "enr-json.h"

G_BEGIN_DECLS

/* Limits applied by the decoder (see docs/model.md). */
#define ENR_CODEC_MAX_ITEMS            10000    /* string lists and object arrays */
#define ENR_CODEC_MAX_KEYS             1000     /* string → string hash tables */
#define ENR_CODEC_MAX_TOP_LEVEL_ITEMS  1000000  /* enr_codec_decode_array() */

GParamSpec *enr_param_spec_required       (GParamSpec  *pspec);
GParamSpec *enr_param_spec_array_of       (GParamSpec  *pspec,
                                           GType        element_type);
gboolean    enr_param_spec_is_required    (GParamSpec  *pspec);
GType       enr_param_spec_element_type   (GParamSpec  *pspec);

gpointer    enr_codec_decode              (GType        type,
                                           JsonNode    *node,
                                           GError     **error);
gpointer    enr_codec_decode_data         (GType        type,
                                           const char  *data,
                                           gssize       length,
                                           GError     **error);
GPtrArray  *enr_codec_decode_array        (GType        element_type,
                                           JsonNode    *node,
                                           GError     **error);
JsonNode   *enr_codec_encode              (gpointer     object);
char       *enr_codec_encode_string       (gpointer     object);
JsonNode   *enr_codec_encode_array        (GPtrArray   *objects);
gboolean    enr_codec_equal               (gpointer     a,
                                           gpointer     b);

/* Helpers shared by decoders of non-model documents (API envelopes). */
gboolean    enr_codec_parse_date          (const char  *text,
                                           GDate       *out);
char       *enr_codec_format_date         (const GDate *date);
GDateTime  *enr_codec_parse_date_time     (const char  *text);
char       *enr_codec_format_date_time    (GDateTime   *date_time);

G_END_DECLS
