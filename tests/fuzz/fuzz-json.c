/* fuzz-json.c — libFuzzer target over every JSON decoder of the core and the service
 *
 * An input's first byte selects a decoder of the `decoders` table below; the
 * rest is the document. Besides what the sanitizers find (crashes, undefined
 * behaviour, leaks), the target aborts when a decoder breaks its contract:
 *
 *  - a failure returns nothing and sets a GError in the decoder's domain
 *    with a non-empty UTF-8 message; a success sets no error;
 *  - what decodes re-encodes, the encoding is strict JSON that decodes
 *    again, and that re-encodes to the same bytes (round-trip stability);
 *  - enr_json_check() and enr_json_parse() agree, so json-glib parses every
 *    document the checker accepts, and canonical JSON text is stable.
 *
 * GLib criticals and warnings are fatal. tests/fuzz/fuzz-replay.c runs the
 * same checks over the seed corpus in the normal test suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "enr-core.h"
#include "enr-dataset.h"
#include "enr-service-decoders.h"

#include "fuzz-json.h"

typedef enum
{
  FUZZ_JSON,              /* enr_json_check() and enr_json_parse() */
  FUZZ_MODEL,             /* enr_codec_decode_data() of one model type */
  FUZZ_MODEL_ARRAY,       /* enr_codec_decode_array(); the next byte picks the model */
  FUZZ_DATASET_LINES,     /* a JSON Lines file; the next byte picks the collection */
  FUZZ_DATASET_MANIFEST,  /* a data set's manifest.json */
  FUZZ_BODY,              /* a request or response body decoder */
} FuzzKind;

/* A body decoder: untrusted bytes in, a new result or NULL with @error set. */
typedef gpointer (*FuzzDecodeFunc) (const char  *data,
                                    gsize        length,
                                    GError     **error);
/* JSON text that the same decoder accepts again, for the round trip. */
typedef char *   (*FuzzEncodeFunc) (gpointer     result);

typedef struct
{
  const char     *name;
  FuzzKind        kind;
  GType         (*get_type) (void);   /* FUZZ_MODEL */
  FuzzDecodeFunc  decode;             /* FUZZ_BODY */
  FuzzEncodeFunc  encode;             /* FUZZ_BODY; NULL when the result has no JSON form */
  GDestroyNotify  free;               /* FUZZ_BODY */
  GQuark        (*domain) (void);     /* FUZZ_BODY: the domain of its errors */
} FuzzDecoder;

#define MODEL(get_type) \
  { #get_type, FUZZ_MODEL, get_type, NULL, NULL, NULL, NULL }
#define BODY(name, decode, encode, free, domain) \
  { name, FUZZ_BODY, NULL, (FuzzDecodeFunc) (decode), (FuzzEncodeFunc) (encode), \
    (GDestroyNotify) (free), domain }

static char *encode_sign_in     (EnrServiceSignIn *sign_in);
static char *encode_cancel      (const char       *reason);
static char *encode_reschedule  (GPtrArray        *appointments);
static gpointer decode_empty    (const char       *data,
                                 gsize             length,
                                 GError          **error);

/* Append only: a corpus file's first byte is the index of its decoder here,
 * and its name starts with the decoder's name (make-corpus.py). */
static const FuzzDecoder decoders[] = {
  { "json", FUZZ_JSON, NULL, NULL, NULL, NULL, NULL },

  /* every model type of docs/model.md */
  MODEL (enr_action_method_get_type),
  MODEL (enr_activity_type_get_type),
  MODEL (enr_answer_get_type),
  MODEL (enr_appointment_get_type),
  MODEL (enr_code_value_get_type),
  MODEL (enr_crew_get_type),
  MODEL (enr_crew_shift_get_type),
  MODEL (enr_crew_shift_type_get_type),
  MODEL (enr_criteria_group_get_type),
  MODEL (enr_criterion_get_type),
  MODEL (enr_customer_get_type),
  MODEL (enr_customer_communication_get_type),
  MODEL (enr_device_get_type),
  MODEL (enr_device_location_get_type),
  MODEL (enr_device_setup_rule_get_type),
  MODEL (enr_initiative_get_type),
  MODEL (enr_interaction_get_type),
  MODEL (enr_metered_service_get_type),
  MODEL (enr_process_flow_get_type),
  MODEL (enr_program_get_type),
  MODEL (enr_program_subscription_get_type),
  MODEL (enr_program_type_get_type),
  MODEL (enr_question_get_type),
  MODEL (enr_service_point_get_type),
  MODEL (enr_service_task_get_type),
  MODEL (enr_service_task_type_get_type),
  MODEL (enr_task_transition_get_type),
  MODEL (enr_user_get_type),

  { "model_array", FUZZ_MODEL_ARRAY, NULL, NULL, NULL, NULL, NULL },
  { "dataset_lines", FUZZ_DATASET_LINES, NULL, NULL, NULL, NULL, NULL },
  { "dataset_manifest", FUZZ_DATASET_MANIFEST, NULL, NULL, NULL, NULL, NULL },

  /* the service's request bodies (src/service/enr-service-decoders.h) */
  BODY ("request_sign_in", enr_service_decode_sign_in, encode_sign_in,
        enr_service_sign_in_free, enr_service_decode_error_quark),
  BODY ("request_task", enr_service_decode_task, enr_codec_encode_string,
        g_object_unref, enr_service_decode_error_quark),
  BODY ("request_empty", decode_empty, NULL,
        g_free, enr_service_decode_error_quark),
  BODY ("request_cancel", enr_service_decode_cancel, encode_cancel,
        g_free, enr_service_decode_error_quark),
  BODY ("request_reschedule", enr_service_decode_reschedule, encode_reschedule,
        g_ptr_array_unref, enr_service_decode_error_quark),
  BODY ("request_communication", enr_service_decode_communication, enr_codec_encode_string,
        g_object_unref, enr_service_decode_error_quark),

  /* the client's response bodies (src/sync) go here, one BODY line each:
   * BODY ("response_<what>", decoder, encoder or NULL, free, error quark);
   * list the decoder's source in fuzz_decoder_sources (meson.build) and its
   * name in DECODERS (make-corpus.py), which writes its seeds. */
};

/* The collections a FUZZ_DATASET_LINES input can be, in a fixed order. */
static const char * const dataset_collections[] = {
  "code_values", "users", "action_methods", "activity_types", "crew_shift_types",
  "crews", "service_task_types", "program_types", "initiatives", "programs",
  "customers", "service_points", "metered_services", "device_locations",
  "subscriptions", "devices",
};

static char *decoder_names[G_N_ELEMENTS (decoders)];
static guint model_indices[G_N_ELEMENTS (decoders)];
static guint n_models;
static char *lines_directory;
static char *manifest_directory;

G_NORETURN G_GNUC_PRINTF (2, 3)
static void
fuzz_fail (const char *decoder,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "fuzz-json: %s: %s\n", decoder, message);
  fflush (stderr);
  abort ();
}

static void
check_outcome (const char   *decoder,
               GQuark        domain,
               gboolean      succeeded,
               const GError *error)
{
  if (succeeded)
    {
      if (error != NULL)
        fuzz_fail (decoder, "succeeded but set an error: %s", error->message);
      return;
    }

  if (error == NULL)
    fuzz_fail (decoder, "failed without setting an error");
  if (error->domain != domain)
    fuzz_fail (decoder, "error in domain %s instead of %s: %s",
               g_quark_to_string (error->domain), g_quark_to_string (domain),
               error->message != NULL ? error->message : "(null)");
  if (error->message == NULL || error->message[0] == '\0')
    fuzz_fail (decoder, "error %d without a message", error->code);
  if (!g_utf8_validate (error->message, -1, NULL))
    fuzz_fail (decoder, "error message is not UTF-8");
}

/* Encoders of the service's results */

static char *
encode_sign_in (EnrServiceSignIn *sign_in)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, sign_in->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, sign_in->password);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return enr_json_to_string (node, FALSE);
}

static char *
encode_cancel (const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return enr_json_to_string (node, FALSE);
}

static char *
encode_reschedule (GPtrArray *appointments)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (object, "appointments", enr_codec_encode_array (appointments));
  json_node_set_object (node, object);

  return enr_json_to_string (node, FALSE);
}

static gpointer
decode_empty (const char  *data,
              gsize        length,
              GError     **error)
{
  if (!enr_service_decode_empty (data, length, error))
    return NULL;

  return g_strdup ("");
}

/* A decoder with its encoder, for one round trip */

typedef struct _Codec Codec;

struct _Codec
{
  const char      *name;
  GQuark           domain;
  GType            type;
  FuzzDecodeFunc   body_decode;
  gpointer       (*decode) (const Codec  *codec,
                            const char   *data,
                            gsize         length,
                            GError      **error);
  char          *(*encode) (const Codec  *codec,
                            gpointer      result);
  GDestroyNotify   free;
  FuzzEncodeFunc   body_encode;
};

static gpointer
codec_decode_model (const Codec  *codec,
                    const char   *data,
                    gsize         length,
                    GError      **error)
{
  GObject *object = enr_codec_decode_data (codec->type, data, (gssize) length, error);

  if (object != NULL && !G_TYPE_CHECK_INSTANCE_TYPE (object, codec->type))
    fuzz_fail (codec->name, "decoded a %s", G_OBJECT_TYPE_NAME (object));

  return object;
}

static char *
codec_encode_model (const Codec *codec,
                    gpointer     result)
{
  return enr_codec_encode_string (result);
}

static gpointer
codec_decode_array (const Codec  *codec,
                    const char   *data,
                    gsize         length,
                    GError      **error)
{
  g_autoptr(JsonNode) node = NULL;
  GPtrArray *objects;

  if (!(node = enr_json_parse (data, (gssize) length, ENR_JSON_MAX_BODY, error)))
    return NULL;

  objects = enr_codec_decode_array (codec->type, node, error);
  if (objects != NULL)
    {
      for (guint i = 0; i < objects->len; i++)
        {
          if (!G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (objects, i), codec->type))
            fuzz_fail (codec->name, "element %u is not a %s", i, g_type_name (codec->type));
        }
    }

  return objects;
}

static char *
codec_encode_array (const Codec *codec,
                    gpointer     result)
{
  g_autoptr(JsonNode) node = enr_codec_encode_array (result);

  return enr_json_to_string (node, FALSE);
}

static gpointer
codec_decode_body (const Codec  *codec,
                   const char   *data,
                   gsize         length,
                   GError      **error)
{
  return codec->body_decode (data, length, error);
}

static char *
codec_encode_body (const Codec *codec,
                   gpointer     result)
{
  return codec->body_encode (result);
}

static void
codec_init_model (Codec      *codec,
                  const char *name,
                  GType       type)
{
  *codec = (Codec) {
    .name = name,
    .domain = ENR_CODEC_ERROR,
    .type = type,
    .decode = codec_decode_model,
    .encode = codec_encode_model,
    .free = g_object_unref,
  };
}

/* result is the first decoding of an input: its encoding must decode again
 * and encode to the same text. */
static void
check_round_trip (const Codec *codec,
                  gpointer     result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gpointer second;

  if (codec->encode == NULL)
    return;

  text = codec->encode (codec, result);
  if (text == NULL)
    fuzz_fail (codec->name, "a decoded value does not encode");

  if (!enr_json_check (text, strlen (text), ENR_JSON_MAX_DEPTH, &check_error))
    fuzz_fail (codec->name, "the encoding is not strict JSON (%s): %s",
               check_error->message, text);

  second = codec->decode (codec, text, strlen (text), &error);
  if (second == NULL)
    fuzz_fail (codec->name, "its own encoding does not decode (%s): %s",
               error != NULL ? error->message : "no error", text);
  if (error != NULL)
    fuzz_fail (codec->name, "succeeded but set an error: %s", error->message);

  again = codec->encode (codec, second);
  codec->free (second);

  if (g_strcmp0 (text, again) != 0)
    fuzz_fail (codec->name, "the round trip is not stable:\n  first:  %s\n  second: %s",
               text, again);
}

static void
run_codec (const Codec *codec,
           const char  *data,
           gsize        length)
{
  g_autoptr(GError) error = NULL;
  gpointer result;

  result = codec->decode (codec, data, length, &error);
  check_outcome (codec->name, codec->domain, result != NULL, error);
  if (result == NULL)
    return;

  check_round_trip (codec, result);
  codec->free (result);
}

/* FUZZ_JSON */

/* Inputs up to this size also go through the variants that reach no other
 * code on larger ones (length -1, pretty printing): big inputs run faster. */
#define FUZZ_JSON_VARIANTS_MAX 4096

static void
check_json_text_stable (const char *name,
                        JsonNode   *node,
                        gboolean    with_pretty)
{
  g_autofree char *text = enr_json_to_string (node, FALSE);
  g_autofree char *pretty = with_pretty ? enr_json_to_string (node, TRUE) : NULL;
  const char * const variants[] = { text, pretty };

  for (guint i = 0; i < G_N_ELEMENTS (variants) && variants[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *again_text = NULL;

      again = enr_json_parse (variants[i], -1, G_MAXSIZE, &error);
      if (again == NULL)
        fuzz_fail (name, "enr_json_to_string() wrote what enr_json_parse() refuses (%s): %s",
                   error->message, variants[i]);

      again_text = enr_json_to_string (again, FALSE);
      if (strcmp (text, again_text) != 0)
        fuzz_fail (name, "JSON text is not stable:\n  first:  %s\n  second: %s",
                   text, again_text);
    }
}

static void
run_json (const char *name,
          const char *data,
          gsize       length)
{
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean accepted;

  accepted = enr_json_check (data, length, ENR_JSON_MAX_DEPTH, &check_error);
  check_outcome (name, ENR_CODEC_ERROR, accepted, check_error);

  node = enr_json_parse (data, (gssize) length, ENR_JSON_MAX_BODY, &parse_error);
  check_outcome (name, ENR_CODEC_ERROR, node != NULL, parse_error);

  if (accepted && node == NULL)
    fuzz_fail (name, "enr_json_check() accepts a document json-glib refuses: %s",
               parse_error->message);
  if (!accepted && node != NULL)
    fuzz_fail (name, "enr_json_parse() accepts a document enr_json_check() refuses: %s",
               check_error->message);
  if (!accepted &&
      (check_error->code != parse_error->code ||
       strcmp (check_error->message, parse_error->message) != 0))
    fuzz_fail (name, "enr_json_check() and enr_json_parse() disagree: %s / %s",
               check_error->message, parse_error->message);

  /* The same text, NUL-terminated, with length -1. */
  if (length <= FUZZ_JSON_VARIANTS_MAX && memchr (data, '\0', length) == NULL)
    {
      g_autofree char *copy = g_strndup (data, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) again = enr_json_parse (copy, -1, ENR_JSON_MAX_BODY, &error);

      check_outcome (name, ENR_CODEC_ERROR, again != NULL, error);
      if ((again != NULL) != (node != NULL))
        fuzz_fail (name, "enr_json_parse() with length -1 disagrees");
    }

  if (node != NULL)
    check_json_text_stable (name, node, length <= FUZZ_JSON_VARIANTS_MAX);
}

/* FUZZ_MODEL_ARRAY */

static void
run_model_array (const char *data,
                 gsize       length)
{
  const FuzzDecoder *model;
  g_autofree char *name = NULL;
  Codec codec;

  if (length == 0)
    return;

  model = &decoders[model_indices[(guint8) data[0] % n_models]];
  name = g_strdup_printf ("model_array(%s)", decoder_names[model - decoders]);

  codec_init_model (&codec, name, model->get_type ());
  codec.decode = codec_decode_array;
  codec.encode = codec_encode_array;
  codec.free = (GDestroyNotify) g_ptr_array_unref;

  run_codec (&codec, data + 1, length - 1);
}

/* FUZZ_DATASET_LINES and FUZZ_DATASET_MANIFEST */

static void
write_file (const char *directory,
            const char *file_name,
            const char *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (directory, file_name, NULL);
  FILE *file;

  /* A new file rather than a truncated one, which ext4 flushes on close. */
  g_unlink (path);
  file = g_fopen (path, "wb");
  if (file == NULL ||
      fwrite (data, 1, length, file) != length ||
      fclose (file) != 0)
    g_error ("fuzz-json: cannot write %s", path);
}

static void
remove_file (const char *directory,
             const char *file_name)
{
  g_autofree char *path = g_build_filename (directory, file_name, NULL);

  g_unlink (path);
}

/* The records the reader will see: lines that are not blank. */
static guint64
count_records (const char *data,
               gsize       length)
{
  guint64 n = 0;
  gboolean blank = TRUE;

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        {
          n += !blank;
          blank = TRUE;
        }
      else if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r')
        blank = FALSE;
    }

  return n + !blank;
}

typedef struct
{
  Codec   codec;
  guint64 last_line;
} LinesData;

static gboolean
check_line_object (gpointer   object,
                   guint64    line_number,
                   gpointer   user_data,
                   GError   **error)
{
  LinesData *lines = user_data;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (object, lines->codec.type))
    fuzz_fail (lines->codec.name, "line %" G_GUINT64_FORMAT " decoded a %s",
               line_number, G_OBJECT_TYPE_NAME (object));
  if (line_number <= lines->last_line)
    fuzz_fail (lines->codec.name, "line %" G_GUINT64_FORMAT " after line %" G_GUINT64_FORMAT,
               line_number, lines->last_line);
  lines->last_line = line_number;

  check_round_trip (&lines->codec, object);

  return TRUE;
}

static gboolean
check_line_user (EnrUser     *user,
                 const char  *password,
                 guint64      line_number,
                 gpointer     user_data,
                 GError     **error)
{
  LinesData *lines = user_data;

  if (password == NULL || password[0] == '\0')
    fuzz_fail (lines->codec.name, "line %" G_GUINT64_FORMAT " has an empty password", line_number);

  return check_line_object (user, line_number, user_data, error);
}

static void
run_dataset_lines (const char *data,
                   gsize       length)
{
  g_autoptr(GFile) directory = NULL;
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *manifest = NULL;
  const char *collection;
  LinesData lines = { 0 };
  gboolean ok;

  if (length == 0)
    return;

  collection = dataset_collections[(guint8) data[0] % G_N_ELEMENTS (dataset_collections)];
  file_name = g_strconcat (collection, ".jsonl", NULL);
  name = g_strdup_printf ("dataset_lines(%s)", collection);

  manifest = g_strdup_printf ("{\"format\":1,\"name\":\"fuzz\",\"customers\":%" G_GUINT64_FORMAT
                              ",\"shift_horizon_days\":56}",
                              g_str_equal (collection, "customers")
                                ? count_records (data + 1, length - 1) : 0);
  write_file (lines_directory, ENR_DATASET_MANIFEST, manifest, strlen (manifest));
  write_file (lines_directory, file_name, data + 1, length - 1);

  directory = g_file_new_for_path (lines_directory);
  reader = enr_dataset_reader_new (directory, NULL, &error);
  if (reader == NULL)
    fuzz_fail (name, "the fixed manifest is refused: %s", error->message);

  codec_init_model (&lines.codec, name, enr_dataset_collection_type (collection));

  if (g_str_equal (collection, "users"))
    ok = enr_dataset_reader_foreach_user (reader, check_line_user, &lines, NULL, &error);
  else
    ok = enr_dataset_reader_foreach (reader, collection, G_TYPE_INVALID,
                                     check_line_object, &lines, NULL, &error);
  check_outcome (name, ENR_CODEC_ERROR, ok, error);

  remove_file (lines_directory, file_name);
  remove_file (lines_directory, ENR_DATASET_MANIFEST);
}

static void
run_dataset_manifest (const char *name,
                      const char *data,
                      gsize       length)
{
  g_autoptr(GFile) directory = NULL;
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  write_file (manifest_directory, ENR_DATASET_MANIFEST, data, length);

  directory = g_file_new_for_path (manifest_directory);
  reader = enr_dataset_reader_new (directory, NULL, &error);
  remove_file (manifest_directory, ENR_DATASET_MANIFEST);
  check_outcome (name, ENR_CODEC_ERROR, reader != NULL, error);

  if (reader != NULL)
    {
      if (enr_dataset_reader_get_name (reader) == NULL)
        fuzz_fail (name, "an accepted manifest without a name");
      if (enr_dataset_reader_get_shift_horizon_days (reader) > ENR_DATASET_MAX_HORIZON_DAYS)
        fuzz_fail (name, "an accepted horizon of %u days",
                   enr_dataset_reader_get_shift_horizon_days (reader));
    }
}

/* Set up */

static void
remove_directories (void)
{
  const char * const directories[] = { lines_directory, manifest_directory };

  /* Each input's files are gone once it has run. */
  for (guint i = 0; i < G_N_ELEMENTS (directories); i++)
    {
      if (directories[i] != NULL)
        g_rmdir (directories[i]);
    }

  g_clear_pointer (&lines_directory, g_free);
  g_clear_pointer (&manifest_directory, g_free);
}

static char *
make_directory (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("enr-fuzz-XXXXXX", &error);

  if (path == NULL)
    g_error ("fuzz-json: %s", error->message);

  return path;
}

static void
fuzz_init (void)
{
  static gboolean initialized;

  if (initialized)
    return;
  initialized = TRUE;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  for (guint i = 0; i < G_N_ELEMENTS (decoders); i++)
    {
      const FuzzDecoder *decoder = &decoders[i];

      if (decoder->kind == FUZZ_MODEL)
        {
          GType type = decoder->get_type ();
          const char *name = decoder->name;

          g_assert (G_TYPE_IS_OBJECT (type) && !G_TYPE_IS_ABSTRACT (type));
          g_assert (g_str_has_prefix (name, "enr_") && g_str_has_suffix (name, "_get_type"));
          decoder_names[i] = g_strndup (name + strlen ("enr_"),
                                        strlen (name) - strlen ("enr_") - strlen ("_get_type"));
          model_indices[n_models++] = i;
        }
      else
        decoder_names[i] = g_strdup (decoder->name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (decoders); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (decoders); j++)
      g_assert (!g_str_equal (decoder_names[i], decoder_names[j]));

  for (guint i = 0; i < G_N_ELEMENTS (dataset_collections); i++)
    g_assert (enr_dataset_collection_type (dataset_collections[i]) != G_TYPE_INVALID);

  lines_directory = make_directory ();
  manifest_directory = make_directory ();
  atexit (remove_directories);
}

const char *
fuzz_json_decoder_name (guint8 selector)
{
  fuzz_init ();

  return decoder_names[selector % G_N_ELEMENTS (decoders)];
}

guint
fuzz_json_n_decoders (void)
{
  return G_N_ELEMENTS (decoders);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes,
                        size_t         size)
{
  const FuzzDecoder *decoder;
  const char *name;
  const char *data;
  gsize length;
  Codec codec;

  fuzz_init ();

  if (size == 0)
    return 0;

  decoder = &decoders[bytes[0] % G_N_ELEMENTS (decoders)];
  name = decoder_names[decoder - decoders];
  data = (const char *) bytes + 1;
  length = size - 1;

  switch (decoder->kind)
    {
    case FUZZ_JSON:
      run_json (name, data, length);
      break;

    case FUZZ_MODEL:
      codec_init_model (&codec, name, decoder->get_type ());
      run_codec (&codec, data, length);
      break;

    case FUZZ_MODEL_ARRAY:
      run_model_array (data, length);
      break;

    case FUZZ_DATASET_LINES:
      run_dataset_lines (data, length);
      break;

    case FUZZ_DATASET_MANIFEST:
      run_dataset_manifest (name, data, length);
      break;

    case FUZZ_BODY:
      codec = (Codec) {
        .name = name,
        .domain = decoder->domain (),
        .body_decode = decoder->decode,
        .decode = codec_decode_body,
        .encode = decoder->encode != NULL ? codec_encode_body : NULL,
        .free = decoder->free,
        .body_encode = decoder->encode,
      };
      run_codec (&codec, data, length);
      break;

    default:
      g_assert_not_reached ();
    }

  return 0;
}
