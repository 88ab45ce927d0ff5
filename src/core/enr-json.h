/* enr-json.h — untrusted JSON in, canonical JSON out
 *
 * json-glib 1.6 accepts lax syntax, has no nesting limit and wraps large
 * integers silently. enr_json_parse() checks the text strictly first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ENR_JSON_MAX_BODY  (4 * 1024 * 1024)
#define ENR_JSON_MAX_DEPTH 32
#define ENR_JSON_MAX_STRING (16 * 1024)

#define ENR_CODEC_ERROR (enr_codec_error_quark ())

typedef enum
{
  ENR_CODEC_ERROR_TOO_LARGE,
  ENR_CODEC_ERROR_SYNTAX,
  ENR_CODEC_ERROR_TOO_DEEP,
  ENR_CODEC_ERROR_MISSING,
  ENR_CODEC_ERROR_TYPE,
  ENR_CODEC_ERROR_RANGE,
  ENR_CODEC_ERROR_UNKNOWN_CODE,
  ENR_CODEC_ERROR_INVALID_DATE,
  ENR_CODEC_ERROR_INVALID,
} EnrCodecError;

GQuark    enr_codec_error_quark (void);

gboolean  enr_json_check        (const char  *data,
                                 gsize        length,
                                 guint        max_depth,
                                 GError     **error);
JsonNode *enr_json_parse        (const char  *data,
                                 gssize       length,
                                 gsize        max_size,
                                 GError     **error);
char     *enr_json_to_string    (JsonNode    *node,
                                 gboolean     pretty);

G_END_DECLS
