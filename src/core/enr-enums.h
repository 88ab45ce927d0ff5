/* enr-enums.h — the fixed code lists of the domain
 *
 * Value nicks are the stable JSON codes; see docs/model.md. Types are
 * registered by glib-mkenums (enr-enum-types.h). Where a list has a NONE
 * value, it is 0 and means "not chosen yet".
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  ENR_TASK_KIND_ENROLLMENT,   /*< nick=enrollment >*/
  ENR_TASK_KIND_UNENROLLMENT, /*< nick=unenrollment >*/
} EnrTaskKind;

typedef enum
{
  ENR_INSTALLATION_METHOD_NONE,                 /*< nick=none >*/
  ENR_INSTALLATION_METHOD_RE_ENROLL,            /*< nick=re-enroll >*/
  ENR_INSTALLATION_METHOD_SHIP_DEVICE,          /*< nick=ship-device >*/
  ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, /*< nick=utility-installation >*/
} EnrInstallationMethod;

typedef enum
{
  ENR_REMOVAL_METHOD_NONE,            /*< nick=none >*/
  ENR_REMOVAL_METHOD_KEEP,            /*< nick=keep >*/
  ENR_REMOVAL_METHOD_SHIP_DEVICE,     /*< nick=ship-device >*/
  ENR_REMOVAL_METHOD_UTILITY_REMOVAL, /*< nick=utility-removal >*/
} EnrRemovalMethod;

typedef enum
{
  ENR_ASSET_OWNERSHIP_NONE,           /*< nick=none >*/
  ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, /*< nick=customer-owned >*/
  ENR_ASSET_OWNERSHIP_UTILITY_OWNED,  /*< nick=utility-owned >*/
} EnrAssetOwnership;

typedef enum
{
  ENR_PROGRAM_CATEGORY_CONTROL_GROUP,             /*< nick=control-group >*/
  ENR_PROGRAM_CATEGORY_DER_REGISTRATION,          /*< nick=der-registration >*/
  ENR_PROGRAM_CATEGORY_DEVICE_CONTROL,            /*< nick=device-control >*/
  ENR_PROGRAM_CATEGORY_IN_HOME_ENERGY_ASSESSMENT, /*< nick=in-home-energy-assessment >*/
  ENR_PROGRAM_CATEGORY_RATE_BASED,                /*< nick=rate-based >*/
} EnrProgramCategory;

typedef enum
{
  ENR_PROGRAM_STATUS_PENDING,  /*< nick=pending >*/
  ENR_PROGRAM_STATUS_ACTIVE,   /*< nick=active >*/
  ENR_PROGRAM_STATUS_INACTIVE, /*< nick=inactive >*/
  ENR_PROGRAM_STATUS_CLOSED,   /*< nick=closed >*/
} EnrProgramStatus;

typedef enum
{
  ENR_QUESTION_KIND_QUALIFICATION, /*< nick=qualification >*/
  ENR_QUESTION_KIND_INFORMATIONAL, /*< nick=informational >*/
} EnrQuestionKind;

typedef enum
{
  ENR_ANSWER_STYLE_YES_NO,          /*< nick=yes-no >*/
  ENR_ANSWER_STYLE_SINGLE_CHOICE,   /*< nick=single-choice >*/
  ENR_ANSWER_STYLE_MULTIPLE_CHOICE, /*< nick=multiple-choice >*/
  ENR_ANSWER_STYLE_TEXT,            /*< nick=text >*/
  ENR_ANSWER_STYLE_DATE,            /*< nick=date >*/
} EnrAnswerStyle;

typedef enum
{
  ENR_SERVICE_TYPE_ELECTRIC, /*< nick=electric >*/
  ENR_SERVICE_TYPE_GAS,      /*< nick=gas >*/
  ENR_SERVICE_TYPE_WATER,    /*< nick=water >*/
} EnrServiceType;

typedef enum
{
  ENR_METERED_SERVICE_STATUS_PENDING_START, /*< nick=pending-start >*/
  ENR_METERED_SERVICE_STATUS_ACTIVE,        /*< nick=active >*/
  ENR_METERED_SERVICE_STATUS_PENDING_STOP,  /*< nick=pending-stop >*/
  ENR_METERED_SERVICE_STATUS_INACTIVE,      /*< nick=inactive >*/
} EnrMeteredServiceStatus;

typedef enum
{
  ENR_DEVICE_STATUS_PLANNED,   /*< nick=planned >*/
  ENR_DEVICE_STATUS_SHIPPED,   /*< nick=shipped >*/
  ENR_DEVICE_STATUS_INSTALLED, /*< nick=installed >*/
  ENR_DEVICE_STATUS_ACTIVE,    /*< nick=active >*/
  ENR_DEVICE_STATUS_REMOVED,   /*< nick=removed >*/
  ENR_DEVICE_STATUS_RETURNED,  /*< nick=returned >*/
} EnrDeviceStatus;

typedef enum
{
  ENR_ASSET_TYPE_THERMOSTAT,          /*< nick=thermostat >*/
  ENR_ASSET_TYPE_WATER_HEATER,        /*< nick=water-heater >*/
  ENR_ASSET_TYPE_BATTERY,             /*< nick=battery >*/
  ENR_ASSET_TYPE_EV_CHARGER,          /*< nick=ev-charger >*/
  ENR_ASSET_TYPE_INVERTER,            /*< nick=inverter >*/
  ENR_ASSET_TYPE_POOL_PUMP,           /*< nick=pool-pump >*/
  ENR_ASSET_TYPE_SMART_PLUG,          /*< nick=smart-plug >*/
  ENR_ASSET_TYPE_LOAD_CONTROL_SWITCH, /*< nick=load-control-switch >*/
} EnrAssetType;

typedef enum
{
  ENR_CRITERION_FIELD_RATE_CODE,              /*< nick=rate-code >*/
  ENR_CRITERION_FIELD_DIVISION,               /*< nick=division >*/
  ENR_CRITERION_FIELD_LIFE_SUPPORT,           /*< nick=life-support >*/
  ENR_CRITERION_FIELD_CHARACTERISTIC,         /*< nick=characteristic >*/
  ENR_CRITERION_FIELD_DEVICE_COUNT,           /*< nick=device-count >*/
  ENR_CRITERION_FIELD_SERVICE_TYPE,           /*< nick=service-type >*/
  ENR_CRITERION_FIELD_METERED_SERVICE_STATUS, /*< nick=metered-service-status >*/
  ENR_CRITERION_FIELD_PREMISE_ID,             /*< nick=premise-id >*/
} EnrCriterionField;

typedef enum
{
  ENR_CRITERION_OPERATOR_EQ,     /*< nick=eq >*/
  ENR_CRITERION_OPERATOR_NE,     /*< nick=ne >*/
  ENR_CRITERION_OPERATOR_IN,     /*< nick=in >*/
  ENR_CRITERION_OPERATOR_NOT_IN, /*< nick=not-in >*/
  ENR_CRITERION_OPERATOR_LT,     /*< nick=lt >*/
  ENR_CRITERION_OPERATOR_LE,     /*< nick=le >*/
  ENR_CRITERION_OPERATOR_GT,     /*< nick=gt >*/
  ENR_CRITERION_OPERATOR_GE,     /*< nick=ge >*/
  ENR_CRITERION_OPERATOR_EXISTS, /*< nick=exists >*/
} EnrCriterionOperator;

typedef enum
{
  ENR_CRITERION_OUTCOME_ELIGIBLE,   /*< nick=eligible >*/
  ENR_CRITERION_OUTCOME_INELIGIBLE, /*< nick=ineligible >*/
  ENR_CRITERION_OUTCOME_NEXT,       /*< nick=next >*/
} EnrCriterionOutcome;

typedef enum
{
  ENR_TASK_STATUS_PENDING,     /*< nick=pending >*/
  ENR_TASK_STATUS_VALIDATE,    /*< nick=validate >*/
  ENR_TASK_STATUS_ERROR,       /*< nick=error >*/
  ENR_TASK_STATUS_IN_PROGRESS, /*< nick=in-progress >*/
  ENR_TASK_STATUS_COMPLETED,   /*< nick=completed >*/
  ENR_TASK_STATUS_CANCELED,    /*< nick=canceled >*/
} EnrTaskStatus;

typedef enum
{
  ENR_FLOW_STATUS_OPEN,     /*< nick=open >*/
  ENR_FLOW_STATUS_CLOSED,   /*< nick=closed >*/
  ENR_FLOW_STATUS_CANCELED, /*< nick=canceled >*/
} EnrFlowStatus;

typedef enum
{
  ENR_PANEL_CUSTOMER,     /*< nick=customer >*/
  ENR_PANEL_PROGRAM,      /*< nick=program >*/
  ENR_PANEL_DEVICE_SETUP, /*< nick=device-setup >*/
  ENR_PANEL_SUMMARY,      /*< nick=summary >*/
} EnrPanel;

typedef enum
{
  ENR_SUBSCRIPTION_STATUS_PENDING, /*< nick=pending >*/
  ENR_SUBSCRIPTION_STATUS_ACTIVE,  /*< nick=active >*/
  ENR_SUBSCRIPTION_STATUS_ENDED,   /*< nick=ended >*/
} EnrSubscriptionStatus;

typedef enum
{
  ENR_APPOINTMENT_STATUS_BOOKED,    /*< nick=booked >*/
  ENR_APPOINTMENT_STATUS_RELEASED,  /*< nick=released >*/
  ENR_APPOINTMENT_STATUS_COMPLETED, /*< nick=completed >*/
} EnrAppointmentStatus;

typedef enum
{
  ENR_ROLE_CLERK,      /*< nick=clerk >*/
  ENR_ROLE_SUPERVISOR, /*< nick=supervisor >*/
} EnrRole;

typedef enum
{
  ENR_CODE_LIST_CHANNEL,  /*< nick=channel >*/
  ENR_CODE_LIST_CLASS,    /*< nick=class >*/
  ENR_CODE_LIST_CATEGORY, /*< nick=category >*/
} EnrCodeList;

/* How the customer gave consent to a program's terms (EnrConsent). */
typedef enum
{
  ENR_CONSENT_METHOD_NONE,       /*< nick=none >*/
  ENR_CONSENT_METHOD_PHONE,      /*< nick=phone >*/
  ENR_CONSENT_METHOD_WEB,        /*< nick=web >*/
  ENR_CONSENT_METHOD_PAPER,      /*< nick=paper >*/
  ENR_CONSENT_METHOD_DEVICE_APP, /*< nick=device-app >*/
} EnrConsentMethod;

const char *enr_enum_to_nick   (GType        enum_type,
                                int          value);
gboolean    enr_enum_from_nick (GType        enum_type,
                                const char  *nick,
                                int         *value);

G_END_DECLS
