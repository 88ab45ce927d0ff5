/* test-codec.c — the property-driven codec, on test-only types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "enr-codec.h"
#include "enr-enum-types.h"
#include "enr-enums.h"

/* Both test types keep their properties as GValues, so that the codec alone
 * is under test. */

#define CODEC_TYPE_CHILD (codec_child_get_type ())
G_DECLARE_FINAL_TYPE (CodecChild, codec_child, CODEC, CHILD, GObject)

#define CODEC_TYPE_SAMPLE (codec_sample_get_type ())
G_DECLARE_FINAL_TYPE (CodecSample, codec_sample, CODEC, SAMPLE, GObject)

enum {
  CHILD_PROP_0,
  CHILD_PROP_NAME,
  CHILD_PROP_VALUE,
  N_CHILD_PROPS
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_COUNT,
  PROP_LEVEL,
  PROP_BIG,
  PROP_RATIO,
  PROP_ACTIVE,
  PROP_STATUS,
  PROP_METHOD,
  PROP_TAGS,
  PROP_DAY,
  PROP_AT,
  PROP_ATTRIBUTES,
  PROP_CHILDREN,
  PROP_CHILD,
  PROP_LABEL,
  N_PROPS
};

struct _CodecChild
{
  GObject parent_instance;
  GValue  values[N_CHILD_PROPS];
};

struct _CodecSample
{
  GObject parent_instance;
  GValue  values[N_PROPS];
};

static GParamSpec *child_properties[N_CHILD_PROPS];
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CodecChild, codec_child, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (CodecSample, codec_sample, G_TYPE_OBJECT)

#define RW (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
values_init (GValue      *values,
             GParamSpec **pspecs,
             guint        n_pspecs)
{
  for (guint i = 1; i < n_pspecs; i++)
    {
      g_value_init (&values[i], G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_param_value_set_default (pspecs[i], &values[i]);
    }
}

static void
values_clear (GValue *values,
              guint   n_values)
{
  for (guint i = 1; i < n_values; i++)
    g_value_unset (&values[i]);
}

static void
codec_child_finalize (GObject *object)
{
  values_clear (CODEC_CHILD (object)->values, N_CHILD_PROPS);
  G_OBJECT_CLASS (codec_child_parent_class)->finalize (object);
}

static void
codec_child_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  g_value_copy (&CODEC_CHILD (object)->values[prop_id], value);
}

static void
codec_child_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  g_value_copy (value, &CODEC_CHILD (object)->values[prop_id]);
}

static void
codec_child_class_init (CodecChildClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = codec_child_finalize;
  object_class->get_property = codec_child_get_property;
  object_class->set_property = codec_child_set_property;

  child_properties[CHILD_PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL, NULL, RW));
  child_properties[CHILD_PROP_VALUE] =
    g_param_spec_int ("value", NULL, NULL, -10, 10, 0, RW);

  g_object_class_install_properties (object_class, N_CHILD_PROPS, child_properties);
}

static void
codec_child_init (CodecChild *self)
{
  values_init (self->values, child_properties, N_CHILD_PROPS);
}

static void
codec_sample_finalize (GObject *object)
{
  values_clear (CODEC_SAMPLE (object)->values, N_PROPS);
  G_OBJECT_CLASS (codec_sample_parent_class)->finalize (object);
}

static void
codec_sample_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  g_value_copy (&CODEC_SAMPLE (object)->values[prop_id], value);
}

static void
codec_sample_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  g_value_copy (value, &CODEC_SAMPLE (object)->values[prop_id]);
}

static void
codec_sample_class_init (CodecSampleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = codec_sample_finalize;
  object_class->get_property = codec_sample_get_property;
  object_class->set_property = codec_sample_set_property;

  properties[PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL, NULL, RW));
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, RW);
  properties[PROP_COUNT] =
    g_param_spec_int ("count", NULL, NULL, 0, 100, 5, RW);
  properties[PROP_LEVEL] =
    g_param_spec_uint ("level", NULL, NULL, 0, 10, 0, RW);
  properties[PROP_BIG] =
    g_param_spec_int64 ("big", NULL, NULL, G_MININT64, G_MAXINT64, 0, RW);
  properties[PROP_RATIO] =
    g_param_spec_double ("ratio", NULL, NULL, -1000.0, 1000.0, 0.0, RW);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE, RW);
  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_TASK_STATUS,
                                                ENR_TASK_STATUS_PENDING, RW));
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL,
                       ENR_TYPE_INSTALLATION_METHOD,
                       ENR_INSTALLATION_METHOD_NONE, RW);
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, RW);
  properties[PROP_DAY] =
    g_param_spec_boxed ("day", NULL, NULL, G_TYPE_DATE, RW);
  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, RW);
  properties[PROP_ATTRIBUTES] =
    g_param_spec_boxed ("attributes", NULL, NULL, G_TYPE_HASH_TABLE, RW);
  properties[PROP_CHILDREN] =
    enr_param_spec_array_of (g_param_spec_boxed ("children", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY, RW),
                             CODEC_TYPE_CHILD);
  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, CODEC_TYPE_CHILD, RW);
  /* Not writable, so not part of the document. */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "read-only",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
codec_sample_init (CodecSample *self)
{
  values_init (self->values, properties, N_PROPS);
}

#define FULL_SAMPLE \
  "{\"name\":\"Ada\",\"display_name\":\"Ada “L.” \\\"Lovelace\\\"\",\"count\":7," \
  "\"level\":10,\"big\":-9223372036854775808,\"ratio\":2.5,\"active\":true," \
  "\"status\":\"in-progress\",\"method\":\"ship-device\",\"tags\":[\"a\",\"b\",\"\"]," \
  "\"day\":\"2024-02-29\",\"at\":\"2026-11-27T08:00:00.250000+01:00\"," \
  "\"attributes\":{\"a\":\"1\",\"b\":\"2\"}," \
  "\"children\":[{\"name\":\"c0\",\"value\":1},{\"name\":\"c1\",\"value\":-10}]," \
  "\"child\":{\"name\":\"solo\",\"value\":0}}"

#define MINIMAL "\"name\":\"x\",\"status\":\"pending\""

static CodecSample *
decode_sample (const char  *text,
               GError     **error)
{
  return enr_codec_decode_data (CODEC_TYPE_SAMPLE, text, -1, error);
}

static void
test_codec_round_trip (void)
{
  g_autoptr(CodecSample) sample = NULL;
  g_autoptr(CodecSample) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(CodecChild) child = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *child_name = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(GDate) day = NULL;
  g_autofree char *name = NULL;
  EnrTaskStatus status;
  EnrInstallationMethod method;
  gint64 big;
  double ratio;
  guint level;
  int count;
  gboolean active;

  sample = decode_sample (FULL_SAMPLE, &error);
  g_assert_no_error (error);
  g_assert_true (CODEC_IS_SAMPLE (sample));

  g_object_get (sample,
                "name", &name,
                "count", &count,
                "level", &level,
                "big", &big,
                "ratio", &ratio,
                "active", &active,
                "status", &status,
                "method", &method,
                "tags", &tags,
                "day", &day,
                "at", &at,
                "attributes", &attributes,
                "children", &children,
                "child", &child,
                NULL);
  g_assert_cmpstr (name, ==, "Ada");
  g_assert_cmpint (count, ==, 7);
  g_assert_cmpuint (level, ==, 10);
  g_assert_cmpint (big, ==, G_MININT64);
  g_assert_cmpfloat (ratio, ==, 2.5);
  g_assert_true (active);
  g_assert_cmpint (status, ==, ENR_TASK_STATUS_IN_PROGRESS);
  g_assert_cmpint (method, ==, ENR_INSTALLATION_METHOD_SHIP_DEVICE);
  g_assert_cmpstrv (tags, ((const char * const[]) { "a", "b", "", NULL }));
  g_assert_cmpuint (g_date_get_year (day), ==, 2024);
  g_assert_cmpuint (g_date_get_month (day), ==, 2);
  g_assert_cmpuint (g_date_get_day (day), ==, 29);
  g_assert_cmpint (g_date_time_get_utc_offset (at), ==, G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_hour (at), ==, 8);
  g_assert_cmpint (g_date_time_get_microsecond (at), ==, 250000);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "b"), ==, "2");
  g_assert_cmpuint (children->len, ==, 2);
  g_assert_true (CODEC_IS_CHILD (g_ptr_array_index (children, 1)));
  g_object_get (g_ptr_array_index (children, 1), "name", &child_name, NULL);
  g_assert_cmpstr (child_name, ==, "c1");
  g_assert_true (CODEC_IS_CHILD (child));

  text = enr_codec_encode_string (sample);
  g_assert_cmpstr (text, ==, FULL_SAMPLE);

  again = decode_sample (text, &error);
  g_assert_no_error (error);
  text_again = enr_codec_encode_string (again);
  g_assert_cmpstr (text_again, ==, text);
  g_assert_true (enr_codec_equal (sample, again));

  g_object_set (again, "count", 8, NULL);
  g_assert_false (enr_codec_equal (sample, again));
}

static void
test_codec_defaults (void)
{
  g_autoptr(CodecSample) sample = NULL;
  g_autoptr(CodecSample) with_nulls = NULL;
  g_autoptr(CodecSample) with_empties = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_nulls = NULL;
  g_autofree char *text_empties = NULL;
  g_autofree char *label = NULL;
  const char *expected =
    "{\"name\":\"x\",\"count\":5,\"level\":0,\"big\":0,\"ratio\":0.0,"
    "\"active\":false,\"status\":\"pending\"}";

  sample = decode_sample ("{" MINIMAL "}", &error);
  g_assert_no_error (error);
  text = enr_codec_encode_string (sample);
  g_assert_cmpstr (text, ==, expected);

  /* null is the same as absent for optional members */
  with_nulls = decode_sample ("{" MINIMAL ",\"display_name\":null,\"count\":null,"
                              "\"method\":null,\"tags\":null,\"day\":null,\"at\":null,"
                              "\"attributes\":null,\"children\":null,\"child\":null}",
                              &error);
  g_assert_no_error (error);
  text_nulls = enr_codec_encode_string (with_nulls);
  g_assert_cmpstr (text_nulls, ==, expected);

  /* empty collections and the NONE code are left out when encoding */
  with_empties = decode_sample ("{" MINIMAL ",\"method\":\"none\",\"tags\":[],"
                                "\"attributes\":{},\"children\":[]}",
                                &error);
  g_assert_no_error (error);
  text_empties = enr_codec_encode_string (with_empties);
  g_assert_cmpstr (text_empties, ==, expected);

  g_object_get (sample, "label", &label, NULL);
  g_assert_cmpstr (label, ==, "read-only");
}

static void
test_codec_unknown_members (void)
{
  g_autoptr(CodecSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sample = decode_sample ("{\"zzz\":[1,{\"a\":null}]," MINIMAL ",\"label\":\"ignored\","
                          "\"Name\":5,\"display-name\":7}",
                          &error);
  g_assert_no_error (error);
  text = enr_codec_encode_string (sample);
  g_assert_null (strstr (text, "zzz"));
  g_assert_null (strstr (text, "ignored"));
  g_assert_null (strstr (text, "display"));
}

typedef struct
{
  const char *members;   /* appended to MINIMAL, or a whole document */
  int         code;
  const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* required */
  { "!{\"status\":\"pending\"}", ENR_CODEC_ERROR_MISSING, "codec_sample.name: missing required member" },
  { "!{\"name\":null,\"status\":\"pending\"}", ENR_CODEC_ERROR_MISSING, "codec_sample.name: missing required member" },
  { "!{\"name\":\"\",\"status\":\"pending\"}", ENR_CODEC_ERROR_MISSING, "codec_sample.name: required member is empty" },
  { "!{\"name\":\"x\"}", ENR_CODEC_ERROR_MISSING, "codec_sample.status: missing required member" },
  { "!{\"name\":\"x\",\"status\":null}", ENR_CODEC_ERROR_MISSING, "codec_sample.status: missing required member" },

  /* the document itself */
  { "![]", ENR_CODEC_ERROR_TYPE, "codec_sample: expected an object" },
  { "!\"x\"", ENR_CODEC_ERROR_TYPE, "codec_sample: expected an object" },
  { "!{", ENR_CODEC_ERROR_SYNTAX, "line 1, column 2: unexpected end of input" },
  { "!{\"name\":\"x\",}", ENR_CODEC_ERROR_SYNTAX, "trailing comma" },

  /* strings */
  { "\"display_name\":5", ENR_CODEC_ERROR_TYPE, "codec_sample.display_name: expected a string" },
  { "\"display_name\":true", ENR_CODEC_ERROR_TYPE, "codec_sample.display_name: expected a string" },
  { "\"display_name\":[\"x\"]", ENR_CODEC_ERROR_TYPE, "codec_sample.display_name: expected a string" },
  { "\"display_name\":{}", ENR_CODEC_ERROR_TYPE, "codec_sample.display_name: expected a string" },

  /* integers */
  { "\"count\":\"5\"", ENR_CODEC_ERROR_TYPE, "codec_sample.count: expected an integer" },
  { "\"count\":5.0", ENR_CODEC_ERROR_TYPE, "codec_sample.count: expected an integer" },
  { "\"count\":5.5", ENR_CODEC_ERROR_TYPE, "codec_sample.count: expected an integer" },
  { "\"count\":5e0", ENR_CODEC_ERROR_TYPE, "codec_sample.count: expected an integer" },
  { "\"count\":true", ENR_CODEC_ERROR_TYPE, "codec_sample.count: expected an integer" },
  { "\"count\":101", ENR_CODEC_ERROR_RANGE, "codec_sample.count: 101 is outside the range 0 to 100" },
  { "\"count\":-1", ENR_CODEC_ERROR_RANGE, "codec_sample.count: -1 is outside the range 0 to 100" },
  { "\"count\":4294967301", ENR_CODEC_ERROR_RANGE, "codec_sample.count: 4294967301 is outside" },
  { "\"level\":-1", ENR_CODEC_ERROR_RANGE, "codec_sample.level: -1 is outside the range 0 to 10" },
  { "\"level\":11", ENR_CODEC_ERROR_RANGE, "codec_sample.level: 11 is outside" },
  { "\"level\":\"1\"", ENR_CODEC_ERROR_TYPE, "codec_sample.level: expected an integer" },
  { "\"big\":1.5", ENR_CODEC_ERROR_TYPE, "codec_sample.big: expected an integer" },
  { "\"big\":\"1\"", ENR_CODEC_ERROR_TYPE, "codec_sample.big: expected an integer" },
  { "\"big\":9223372036854775808", ENR_CODEC_ERROR_RANGE, "integer outside the 64-bit range" },

  /* doubles */
  { "\"ratio\":\"1\"", ENR_CODEC_ERROR_TYPE, "codec_sample.ratio: expected a number" },
  { "\"ratio\":false", ENR_CODEC_ERROR_TYPE, "codec_sample.ratio: expected a number" },
  { "\"ratio\":1e400", ENR_CODEC_ERROR_RANGE, "codec_sample.ratio: number is not finite" },
  { "\"ratio\":-1e400", ENR_CODEC_ERROR_RANGE, "codec_sample.ratio: number is not finite" },
  { "\"ratio\":1000.5", ENR_CODEC_ERROR_RANGE, "codec_sample.ratio: 1000.5 is outside the range -1000 to 1000" },
  { "\"ratio\":-1001", ENR_CODEC_ERROR_RANGE, "codec_sample.ratio: -1001 is outside" },

  /* booleans */
  { "\"active\":1", ENR_CODEC_ERROR_TYPE, "codec_sample.active: expected true or false" },
  { "\"active\":\"true\"", ENR_CODEC_ERROR_TYPE, "codec_sample.active: expected true or false" },

  /* enums */
  { "!{\"name\":\"x\",\"status\":\"maybe\"}", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.status: unknown code \"maybe\"" },
  { "!{\"name\":\"x\",\"status\":\"PENDING\"}", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.status: unknown code \"PENDING\"" },
  { "!{\"name\":\"x\",\"status\":\"in_progress\"}", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.status: unknown code \"in_progress\"" },
  { "!{\"name\":\"x\",\"status\":\"\"}", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.status: unknown code \"\"" },
  { "!{\"name\":\"x\",\"status\":1}", ENR_CODEC_ERROR_TYPE, "codec_sample.status: expected a string" },
  { "!{\"name\":\"x\",\"status\":\"a\\nb\\u001b[31m\"}", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.status: unknown code \"a?b?[31m\"" },
  { "\"method\":\"none-at-all\"", ENR_CODEC_ERROR_UNKNOWN_CODE, "codec_sample.method: unknown code \"none-at-all\"" },
  { "\"method\":[]", ENR_CODEC_ERROR_TYPE, "codec_sample.method: expected a string" },

  /* string lists */
  { "\"tags\":\"a\"", ENR_CODEC_ERROR_TYPE, "codec_sample.tags: expected an array of strings" },
  { "\"tags\":{}", ENR_CODEC_ERROR_TYPE, "codec_sample.tags: expected an array of strings" },
  { "\"tags\":[1]", ENR_CODEC_ERROR_TYPE, "codec_sample.tags[0]: expected a string" },
  { "\"tags\":[\"a\",null]", ENR_CODEC_ERROR_TYPE, "codec_sample.tags[1]: expected a string" },
  { "\"tags\":[\"a\",[\"b\"]]", ENR_CODEC_ERROR_TYPE, "codec_sample.tags[1]: expected a string" },

  /* dates */
  { "\"day\":\"2023-02-29\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date \"2023-02-29\", expected YYYY-MM-DD" },
  { "\"day\":\"2026-02-30\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date \"2026-02-30\"" },
  { "\"day\":\"2026-13-01\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date \"2026-13-01\"" },
  { "\"day\":\"2026-1-1\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date \"2026-1-1\"" },
  { "\"day\":\"1899-12-31\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date" },
  { "\"day\":\"2026-01-01T00:00:00Z\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date" },
  { "\"day\":\"\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.day: invalid date \"\"" },
  { "\"day\":20260101", ENR_CODEC_ERROR_TYPE, "codec_sample.day: expected a string" },

  /* date-times */
  { "\"at\":\"2026-11-27T08:00:00\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.at: invalid date and time \"2026-11-27T08:00:00\"" },
  { "\"at\":\"2026-11-27\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.at: invalid date and time" },
  { "\"at\":\"2026-11-27T25:00:00Z\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.at: invalid date and time" },
  { "\"at\":\"2026-02-30T08:00:00Z\"", ENR_CODEC_ERROR_INVALID_DATE, "codec_sample.at: invalid date and time" },
  { "\"at\":1764226800", ENR_CODEC_ERROR_TYPE, "codec_sample.at: expected a string" },

  /* hash tables */
  { "\"attributes\":[]", ENR_CODEC_ERROR_TYPE, "codec_sample.attributes: expected an object of strings" },
  { "\"attributes\":\"a=1\"", ENR_CODEC_ERROR_TYPE, "codec_sample.attributes: expected an object of strings" },
  { "\"attributes\":{\"a\":\"1\",\"b\":1}", ENR_CODEC_ERROR_TYPE, "codec_sample.attributes.b: expected a string" },
  { "\"attributes\":{\"a\":null}", ENR_CODEC_ERROR_TYPE, "codec_sample.attributes.a: expected a string" },

  /* arrays of objects */
  { "\"children\":{}", ENR_CODEC_ERROR_TYPE, "codec_sample.children: expected an array of objects" },
  { "\"children\":[1]", ENR_CODEC_ERROR_TYPE, "codec_sample.children[0]: expected an object" },
  { "\"children\":[{\"name\":\"a\"},null]", ENR_CODEC_ERROR_TYPE, "codec_sample.children[1]: expected an object" },
  { "\"children\":[{\"name\":\"a\"},{\"value\":1}]", ENR_CODEC_ERROR_MISSING, "codec_sample.children[1].name: missing required member" },
  { "\"children\":[{\"name\":\"a\"},{\"name\":7}]", ENR_CODEC_ERROR_TYPE, "codec_sample.children[1].name: expected a string" },
  { "\"children\":[{\"name\":\"a\",\"value\":11}]", ENR_CODEC_ERROR_RANGE, "codec_sample.children[0].value: 11 is outside the range -10 to 10" },

  /* nested objects */
  { "\"child\":\"x\"", ENR_CODEC_ERROR_TYPE, "codec_sample.child: expected an object" },
  { "\"child\":[]", ENR_CODEC_ERROR_TYPE, "codec_sample.child: expected an object" },
  { "\"child\":{}", ENR_CODEC_ERROR_MISSING, "codec_sample.child.name: missing required member" },
  { "\"child\":{\"name\":\"a\",\"value\":0.5}", ENR_CODEC_ERROR_TYPE, "codec_sample.child.value: expected an integer" },
};

static void
test_codec_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(CodecSample) sample = NULL;
      g_autofree char *text = NULL;

      if (c->members[0] == '!')
        text = g_strdup (c->members + 1);
      else
        text = g_strdup_printf ("{" MINIMAL ",%s}", c->members);

      sample = decode_sample (text, &error);
      if (sample != NULL)
        g_error ("case %u %s: accepted", i, text);
      g_assert_error (error, ENR_CODEC_ERROR, c->code);
      if (g_strstr_len (error->message, -1, c->message) == NULL)
        g_error ("case %u %s: message “%s” lacks “%s”", i, text, error->message, c->message);
    }
}

static void
test_codec_limits (void)
{
  g_autoptr(GString) text = g_string_new ("{" MINIMAL ",\"tags\":[");
  g_autoptr(GString) keys = g_string_new ("{" MINIMAL ",\"attributes\":{");
  g_autoptr(GString) children = g_string_new ("{" MINIMAL ",\"children\":[");
  g_autoptr(CodecSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *long_string = NULL;
  JsonObject *object;

  for (guint i = 0; i < ENR_CODEC_MAX_ITEMS; i++)
    g_string_append (text, i == 0 ? "\"t\"" : ",\"t\"");
  g_string_append (text, "]}");
  sample = decode_sample (text->str, &error);
  g_assert_no_error (error);
  g_clear_object (&sample);

  g_string_truncate (text, text->len - 2);
  g_string_append (text, ",\"t\"]}");
  g_assert_null (decode_sample (text->str, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_sample.tags: more than 10000 items"));
  g_clear_error (&error);

  for (guint i = 0; i < ENR_CODEC_MAX_KEYS; i++)
    g_string_append_printf (keys, "%s\"k%u\":\"v\"", i == 0 ? "" : ",", i);
  g_string_append (keys, "}}");
  sample = decode_sample (keys->str, &error);
  g_assert_no_error (error);
  g_clear_object (&sample);

  g_string_truncate (keys, keys->len - 2);
  g_string_append (keys, ",\"extra\":\"v\"}}");
  g_assert_null (decode_sample (keys->str, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_sample.attributes: more than 1000 keys"));
  g_clear_error (&error);

  for (guint i = 0; i <= ENR_CODEC_MAX_ITEMS; i++)
    g_string_append (children, i == 0 ? "{\"name\":\"c\"}" : ",{\"name\":\"c\"}");
  g_string_append (children, "]}");
  g_assert_null (decode_sample (children->str, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_sample.children: more than 10000 items"));
  g_clear_error (&error);

  /* A node built in code bypasses the text checker; the codec still checks. */
  long_string = g_strnfill (ENR_JSON_MAX_STRING + 1, 'x');
  object = json_object_new ();
  json_object_set_string_member (object, "name", "x");
  json_object_set_string_member (object, "status", "pending");
  json_object_set_string_member (object, "display_name", long_string);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  g_assert_null (enr_codec_decode (CODEC_TYPE_SAMPLE, node, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_sample.display_name: string longer than 16384 bytes"));
  g_clear_error (&error);

  object = json_node_get_object (node);
  json_object_set_double_member (object, "display_name", 1.0);
  json_object_set_double_member (object, "ratio", NAN);
  g_assert_null (enr_codec_decode (CODEC_TYPE_SAMPLE, node, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE);
  g_clear_error (&error);

  json_object_remove_member (object, "display_name");
  g_assert_null (enr_codec_decode (CODEC_TYPE_SAMPLE, node, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_sample.ratio: number is not finite"));
  g_clear_error (&error);

  /* The body limit applies to decode_data. */
  {
    g_autofree char *huge = g_malloc (ENR_JSON_MAX_BODY + 2);

    memset (huge, ' ', ENR_JSON_MAX_BODY + 1);
    huge[ENR_JSON_MAX_BODY + 1] = '\0';
    huge[0] = '{';
    huge[ENR_JSON_MAX_BODY] = '}';
    g_assert_null (decode_sample (huge, &error));
    g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  }
}

static void
test_codec_hash_order (void)
{
  g_autoptr(CodecSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sample = decode_sample ("{\"attributes\":{\"zeta\":\"1\",\"alpha\":\"2\",\"mu\":\"\",\"é\":\"4\",\"B\":\"5\"},"
                          "\"status\":\"completed\",\"name\":\"x\"}",
                          &error);
  g_assert_no_error (error);
  text = enr_codec_encode_string (sample);
  g_assert_cmpstr (text, ==,
                   "{\"name\":\"x\",\"count\":5,\"level\":0,\"big\":0,\"ratio\":0.0,"
                   "\"active\":false,\"status\":\"completed\","
                   "\"attributes\":{\"B\":\"5\",\"alpha\":\"2\",\"mu\":\"\",\"zeta\":\"1\",\"é\":\"4\"}}");
}

static void
test_codec_doubles (void)
{
  static const struct {
    const char *in;
    const char *out;
  } numbers[] = {
    { "0.1", "0.1" },
    { "3", "3.0" },
    { "-0", "0.0" },
    { "-0.0", "0.0" },
    { "1e-7", "1e-07" },
    { "999.99999999999989", "999.9999999999999" },
    { "1e-400", "0.0" },
    { "-1000", "-1000.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *in = g_strdup_printf ("{" MINIMAL ",\"ratio\":%s}", numbers[i].in);
      g_autofree char *expected = g_strdup_printf ("\"ratio\":%s,", numbers[i].out);
      g_autoptr(CodecSample) sample = NULL;
      g_autoptr(CodecSample) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text_again = NULL;

      sample = decode_sample (in, &error);
      g_assert_no_error (error);
      text = enr_codec_encode_string (sample);
      if (strstr (text, expected) == NULL)
        g_error ("%s encoded as %s", numbers[i].in, text);

      again = decode_sample (text, &error);
      g_assert_no_error (error);
      text_again = enr_codec_encode_string (again);
      g_assert_cmpstr (text_again, ==, text);
    }
}

static void
test_codec_dates (void)
{
  static const struct {
    const char *text;
    gboolean    valid;
  } dates[] = {
    { "2024-02-29", TRUE },
    { "2000-02-29", TRUE },
    { "1900-01-01", TRUE },
    { "9999-12-31", TRUE },
    { "2026-11-27", TRUE },
    { "2023-02-29", FALSE },
    { "1900-02-29", FALSE },
    { "2026-02-30", FALSE },
    { "2026-04-31", FALSE },
    { "2026-13-01", FALSE },
    { "2026-00-10", FALSE },
    { "2026-01-00", FALSE },
    { "2026-1-1", FALSE },
    { "2026-01-1", FALSE },
    { "26-01-01", FALSE },
    { "1899-12-31", FALSE },
    { "0000-01-01", FALSE },
    { "2026-01-01 ", FALSE },
    { " 2026-01-01", FALSE },
    { "2026/01/01", FALSE },
    { "2026-01-01T00:00:00Z", FALSE },
    { "+026-01-01", FALSE },
    { "2026-0a-01", FALSE },
    { "２０２６-01-01", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      GDate date;

      g_date_clear (&date, 1);
      if (enr_codec_parse_date (dates[i].text, &date) != dates[i].valid)
        g_error ("date “%s” should be %s", dates[i].text, dates[i].valid ? "valid" : "invalid");

      if (dates[i].valid)
        {
          g_autofree char *formatted = enr_codec_format_date (&date);

          g_assert_cmpstr (formatted, ==, dates[i].text);
        }
    }

  g_assert_true (enr_codec_parse_date ("2026-01-01", NULL));
  g_assert_null (enr_codec_format_date (NULL));

  {
    GDate cleared;

    g_date_clear (&cleared, 1);
    g_assert_null (enr_codec_format_date (&cleared));
  }
}

static void
test_codec_date_times (void)
{
  static const struct {
    const char *text;
    const char *formatted;   /* NULL: invalid */
    gint64      unix_time;
  } cases[] = {
    { "2026-11-27T08:00:00+01:00", "2026-11-27T08:00:00+01:00", 1795762800 },
    { "2026-11-27T07:00:00Z", "2026-11-27T07:00:00Z", 1795762800 },
    { "2026-11-27T07:00:00+00:00", "2026-11-27T07:00:00Z", 1795762800 },
    { "2026-11-27T01:30:00-05:30", "2026-11-27T01:30:00-05:30", 1795762800 },
    { "2026-11-27T07:00:00.5Z", "2026-11-27T07:00:00.500000Z", 1795762800 },
    { "2026-11-27T07:00:00.123456789Z", "2026-11-27T07:00:00.123456Z", 1795762800 },
    { "2024-02-29T23:59:59+14:00", "2024-02-29T23:59:59+14:00", 1709200799 },
    { "2026-11-27T08:00:00", NULL, 0 },
    { "2026-11-27", NULL, 0 },
    { "2026-11-27T08:00Z", NULL, 0 },
    { "2026-11-27t08:00:00Z", NULL, 0 },
    { "2026-11-27 08:00:00Z", NULL, 0 },
    { "2026-11-27T08:00:00z", NULL, 0 },
    { "2026-11-27T24:00:00Z", NULL, 0 },
    { "2026-11-27T08:60:00Z", NULL, 0 },
    { "2026-11-27T08:00:60Z", NULL, 0 },
    { "2026-02-30T08:00:00Z", NULL, 0 },
    { "2026-11-27T08:00:00+24:00", NULL, 0 },
    { "2026-11-27T08:00:00+01:60", NULL, 0 },
    { "2026-11-27T08:00:00+0100", NULL, 0 },
    { "2026-11-27T08:00:00+01", NULL, 0 },
    { "2026-11-27T08:00:00.Z", NULL, 0 },
    { "2026-11-27T08:00:00Zjunk", NULL, 0 },
    { "2026-11-27T08:00:00+01:00 ", NULL, 0 },
    { "2026-11-27T8:00:00Z", NULL, 0 },
    { "", NULL, 0 },
    { NULL, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date_time = enr_codec_parse_date_time (cases[i].text);

      if (cases[i].formatted == NULL)
        {
          if (date_time != NULL)
            g_error ("“%s” accepted", cases[i].text);
        }
      else
        {
          g_autofree char *formatted = NULL;
          g_autoptr(GDateTime) again = NULL;
          g_autofree char *formatted_again = NULL;

          if (date_time == NULL)
            g_error ("“%s” rejected", cases[i].text);
          g_assert_cmpint (g_date_time_to_unix (date_time), ==, cases[i].unix_time);
          formatted = enr_codec_format_date_time (date_time);
          g_assert_cmpstr (formatted, ==, cases[i].formatted);

          again = enr_codec_parse_date_time (formatted);
          g_assert_nonnull (again);
          g_assert_true (g_date_time_equal (again, date_time));
          formatted_again = enr_codec_format_date_time (again);
          g_assert_cmpstr (formatted_again, ==, formatted);
        }
    }
}

static void
test_codec_arrays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autofree char *text = NULL;
  const char *input = "[{\"name\":\"a\",\"value\":1},{\"name\":\"b\",\"value\":0}]";

  node = enr_json_parse (input, -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  children = enr_codec_decode_array (CODEC_TYPE_CHILD, node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 2);
  g_assert_true (CODEC_IS_CHILD (g_ptr_array_index (children, 0)));

  encoded = enr_codec_encode_array (children);
  text = enr_json_to_string (encoded, FALSE);
  g_assert_cmpstr (text, ==, input);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&encoded, json_node_unref);
  g_clear_pointer (&text, g_free);

  node = enr_json_parse ("[{\"name\":\"a\"},{\"name\":[]}]", -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_null (enr_codec_decode_array (CODEC_TYPE_CHILD, node, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_child[1].name: expected a string"));
  g_clear_error (&error);
  g_clear_pointer (&node, json_node_unref);

  node = enr_json_parse ("{\"name\":\"a\"}", -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_null (enr_codec_decode_array (CODEC_TYPE_CHILD, node, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE);
  g_assert_nonnull (g_strstr_len (error->message, -1, "codec_child: expected an array of objects"));
  g_clear_error (&error);
  g_clear_pointer (&node, json_node_unref);

  node = enr_json_parse ("[]", -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  empty = enr_codec_decode_array (CODEC_TYPE_CHILD, node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
  encoded = enr_codec_encode_array (empty);
  text = enr_json_to_string (encoded, FALSE);
  g_assert_cmpstr (text, ==, "[]");
}

static void
test_codec_equal (void)
{
  g_autoptr(CodecChild) a = g_object_new (CODEC_TYPE_CHILD, "name", "a", NULL);
  g_autoptr(CodecChild) b = g_object_new (CODEC_TYPE_CHILD, "name", "a", NULL);
  g_autoptr(CodecSample) sample = g_object_new (CODEC_TYPE_SAMPLE, "name", "a", NULL);

  g_assert_true (enr_codec_equal (NULL, NULL));
  g_assert_true (enr_codec_equal (a, a));
  g_assert_true (enr_codec_equal (a, b));
  g_assert_false (enr_codec_equal (a, NULL));
  g_assert_false (enr_codec_equal (NULL, b));
  g_assert_false (enr_codec_equal (a, sample));

  g_object_set (b, "value", -1, NULL);
  g_assert_false (enr_codec_equal (a, b));
}

static void
test_codec_encode_unset (void)
{
  g_autoptr(CodecSample) sample = g_object_new (CODEC_TYPE_SAMPLE, NULL);
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *text = NULL;
  const char *empty_strv[] = { NULL };
  GDate day;

  text = enr_codec_encode_string (sample);
  g_assert_cmpstr (text, ==,
                   "{\"count\":5,\"level\":0,\"big\":0,\"ratio\":0.0,"
                   "\"active\":false,\"status\":\"pending\"}");
  g_clear_pointer (&text, g_free);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, G_DATE_JANUARY, 2027);
  tz = g_time_zone_new_offset (-3 * 3600 - 30 * 60);
  at = g_date_time_new (tz, 2027, 1, 1, 0, 0, 0);
  g_ptr_array_add (children, g_object_new (CODEC_TYPE_CHILD, "name", "k", "value", -3, NULL));
  g_hash_table_insert (attributes, g_strdup ("k"), g_strdup ("v"));
  g_object_set (sample,
                "name", "",
                "tags", empty_strv,
                "day", &day,
                "at", at,
                "attributes", attributes,
                "children", children,
                "method", ENR_INSTALLATION_METHOD_RE_ENROLL,
                "ratio", -0.0,
                NULL);
  text = enr_codec_encode_string (sample);
  g_assert_cmpstr (text, ==,
                   "{\"name\":\"\",\"count\":5,\"level\":0,\"big\":0,\"ratio\":0.0,"
                   "\"active\":false,\"status\":\"pending\",\"method\":\"re-enroll\","
                   "\"day\":\"2027-01-01\",\"at\":\"2027-01-01T00:00:00-03:30\","
                   "\"attributes\":{\"k\":\"v\"},"
                   "\"children\":[{\"name\":\"k\",\"value\":-3}]}");
}

static void
test_codec_param_specs (void)
{
  GObjectClass *klass = g_type_class_ref (CODEC_TYPE_SAMPLE);

  g_assert_true (enr_param_spec_is_required (g_object_class_find_property (klass, "name")));
  g_assert_true (enr_param_spec_is_required (g_object_class_find_property (klass, "status")));
  g_assert_false (enr_param_spec_is_required (g_object_class_find_property (klass, "count")));
  g_assert_cmpuint (enr_param_spec_element_type (g_object_class_find_property (klass, "children")),
                    ==, CODEC_TYPE_CHILD);
  g_assert_cmpuint (enr_param_spec_element_type (g_object_class_find_property (klass, "tags")),
                    ==, G_TYPE_INVALID);

  g_type_class_unref (klass);
}

static void
test_codec_enums (void)
{
  int value = -1;

  g_assert_cmpstr (enr_enum_to_nick (ENR_TYPE_TASK_STATUS, ENR_TASK_STATUS_IN_PROGRESS), ==, "in-progress");
  g_assert_cmpstr (enr_enum_to_nick (ENR_TYPE_INSTALLATION_METHOD, ENR_INSTALLATION_METHOD_NONE), ==, "none");
  g_assert_null (enr_enum_to_nick (ENR_TYPE_TASK_STATUS, 99));

  g_assert_true (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, "canceled", &value));
  g_assert_cmpint (value, ==, ENR_TASK_STATUS_CANCELED);
  g_assert_true (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, "pending", NULL));

  value = -1;
  g_assert_false (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, "ENR_TASK_STATUS_CANCELED", &value));
  g_assert_false (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, "Canceled", &value));
  g_assert_false (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, "", &value));
  g_assert_false (enr_enum_from_nick (ENR_TYPE_TASK_STATUS, NULL, &value));
  g_assert_cmpint (value, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/round-trip", test_codec_round_trip);
  g_test_add_func ("/codec/defaults", test_codec_defaults);
  g_test_add_func ("/codec/unknown-members", test_codec_unknown_members);
  g_test_add_func ("/codec/errors", test_codec_errors);
  g_test_add_func ("/codec/limits", test_codec_limits);
  g_test_add_func ("/codec/hash-order", test_codec_hash_order);
  g_test_add_func ("/codec/doubles", test_codec_doubles);
  g_test_add_func ("/codec/dates", test_codec_dates);
  g_test_add_func ("/codec/date-times", test_codec_date_times);
  g_test_add_func ("/codec/arrays", test_codec_arrays);
  g_test_add_func ("/codec/equal", test_codec_equal);
  g_test_add_func ("/codec/encode-unset", test_codec_encode_unset);
  g_test_add_func ("/codec/param-specs", test_codec_param_specs);
  g_test_add_func ("/codec/enums", test_codec_enums);

  return g_test_run ();
}
