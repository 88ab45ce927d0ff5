/* enr-initiative.h — the eligibility rules of a program: ordered criteria groups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_CRITERION (enr_criterion_get_type ())
#define ENR_TYPE_CRITERIA_GROUP (enr_criteria_group_get_type ())
#define ENR_TYPE_INITIATIVE (enr_initiative_get_type ())

G_DECLARE_FINAL_TYPE (EnrCriterion, enr_criterion, ENR, CRITERION, GObject)
G_DECLARE_FINAL_TYPE (EnrCriteriaGroup, enr_criteria_group, ENR, CRITERIA_GROUP, GObject)
G_DECLARE_FINAL_TYPE (EnrInitiative, enr_initiative, ENR, INITIATIVE, EnrEntity)

EnrCriterion        *enr_criterion_new                 (void);
EnrCriterionField    enr_criterion_get_field           (EnrCriterion *self);
void                 enr_criterion_set_field           (EnrCriterion     *self,
                                                        EnrCriterionField field);
const char          *enr_criterion_get_characteristic  (EnrCriterion *self);
void                 enr_criterion_set_characteristic  (EnrCriterion *self,
                                                        const char   *characteristic);
EnrCriterionOperator enr_criterion_get_operator        (EnrCriterion *self);
void                 enr_criterion_set_operator        (EnrCriterion        *self,
                                                        EnrCriterionOperator op);
const char * const  *enr_criterion_get_values          (EnrCriterion *self);
void                 enr_criterion_set_values          (EnrCriterion       *self,
                                                        const char * const *values);
EnrCriterionOutcome  enr_criterion_get_if_true         (EnrCriterion *self);
void                 enr_criterion_set_if_true         (EnrCriterion       *self,
                                                        EnrCriterionOutcome if_true);
EnrCriterionOutcome  enr_criterion_get_if_false        (EnrCriterion *self);
void                 enr_criterion_set_if_false        (EnrCriterion       *self,
                                                        EnrCriterionOutcome if_false);
EnrCriterionOutcome  enr_criterion_get_if_insufficient (EnrCriterion *self);
void                 enr_criterion_set_if_insufficient (EnrCriterion       *self,
                                                        EnrCriterionOutcome if_insufficient);
const char          *enr_criterion_get_reason          (EnrCriterion *self);
void                 enr_criterion_set_reason          (EnrCriterion *self,
                                                        const char   *reason);

EnrCriteriaGroup   *enr_criteria_group_new              (void);
const char         *enr_criteria_group_get_description  (EnrCriteriaGroup *self);
void                enr_criteria_group_set_description  (EnrCriteriaGroup *self,
                                                         const char       *description);
GPtrArray          *enr_criteria_group_get_criteria     (EnrCriteriaGroup *self);
void                enr_criteria_group_set_criteria     (EnrCriteriaGroup *self,
                                                         GPtrArray        *criteria);
void                enr_criteria_group_add_criterion    (EnrCriteriaGroup *self,
                                                         EnrCriterion     *criterion);
EnrCriterionOutcome enr_criteria_group_get_if_exhausted (EnrCriteriaGroup *self);
void                enr_criteria_group_set_if_exhausted (EnrCriteriaGroup   *self,
                                                         EnrCriterionOutcome if_exhausted);
const char         *enr_criteria_group_get_reason       (EnrCriteriaGroup *self);
void                enr_criteria_group_set_reason       (EnrCriteriaGroup *self,
                                                         const char       *reason);

EnrInitiative *enr_initiative_new        (void);
const char    *enr_initiative_get_code   (EnrInitiative *self);
void           enr_initiative_set_code   (EnrInitiative *self,
                                          const char    *code);
const char    *enr_initiative_get_name   (EnrInitiative *self);
void           enr_initiative_set_name   (EnrInitiative *self,
                                          const char    *name);
GPtrArray     *enr_initiative_get_groups (EnrInitiative *self);
void           enr_initiative_set_groups (EnrInitiative *self,
                                          GPtrArray     *groups);
void           enr_initiative_add_group  (EnrInitiative    *self,
                                          EnrCriteriaGroup *group);

G_END_DECLS
