/* enr-db-sqlite.h — what only SQLite has, for the code that calls it
 * directly (the full-text search of both stores: its API and tokenizers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "enr-db.h"

G_BEGIN_DECLS

fts5_api     *enr_db_sqlite_get_fts5_api     (sqlite3          *handle);

/**
 * EnrDbSqliteTokenizer:
 *
 * One of FTS5's tokenizers made outside a query, to cut text as a
 * full-text table with that tokenizer does (see
 * enr_db_sqlite_tokenizer_new()).
 */
typedef struct _EnrDbSqliteTokenizer EnrDbSqliteTokenizer;

/**
 * EnrDbSqliteTokenFunc:
 * @user_data: what enr_db_sqlite_tokenizer_tokenize() was given
 * @flags: 0, or `FTS5_TOKEN_COLOCATED` for a synonym of the token before
 * @token: (array length=length): the token, not nul-terminated
 * @length: its length in bytes
 * @start: where its text starts in the input, in bytes
 * @end: where it ends
 *
 * Called for each token, in order.
 *
 * Returns: `SQLITE_OK` to go on, anything else to stop the tokenizing
 */
typedef int (*EnrDbSqliteTokenFunc) (void       *user_data,
                                     int         flags,
                                     const char *token,
                                     int         length,
                                     int         start,
                                     int         end);

EnrDbSqliteTokenizer *enr_db_sqlite_tokenizer_new      (sqlite3               *handle,
                                                        const char            *name,
                                                        const char * const    *args,
                                                        int                    n_args,
                                                        GError               **error);
void                  enr_db_sqlite_tokenizer_free     (EnrDbSqliteTokenizer  *self);
gboolean              enr_db_sqlite_tokenizer_tokenize (EnrDbSqliteTokenizer  *self,
                                                        int                    flags,
                                                        const char            *text,
                                                        gsize                  length,
                                                        EnrDbSqliteTokenFunc   func,
                                                        void                  *user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrDbSqliteTokenizer, enr_db_sqlite_tokenizer_free)

G_END_DECLS
