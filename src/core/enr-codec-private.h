/* enr-codec-private.h — what the codec's own files share
 *
 * enr-codec.c describes each class once and encodes; enr-codec-decode.c
 * decodes; enr-codec-dates.c reads and writes dates and instants.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-codec.h"

G_BEGIN_DECLS

typedef enum
{
  KIND_STRING,
  KIND_BOOLEAN,
  KIND_INT,
  KIND_DOUBLE,
  KIND_ENUM,
  KIND_STRV,
  KIND_DATE,
  KIND_DATE_TIME,
  KIND_HASH_TABLE,
  KIND_PTR_ARRAY,
  KIND_OBJECT,
} Kind;

typedef struct
{
  GParamSpec *pspec;        /* as listed by the class, perhaps an override */
  GType       value_type;
  Kind        kind;
  char       *member;
  gboolean    required;
  gboolean    enum_has_none;
  GType       element_type;
  gint64      int_min;
  gint64      int_max;
  double      double_min;
  double      double_max;
} CodecProperty;

typedef struct
{
  char          *root_name;
  CodecProperty *props;
  guint          n_props;
} CodecClass;

/* Class descriptions live as long as the process, like the types. */
const CodecClass *_enr_codec_class_get (GType type);

G_END_DECLS
