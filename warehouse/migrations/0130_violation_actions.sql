-- The actions every confirmed violation requires (queries/README.md "Required actions",
-- mart_violation_actions): each action's owner and deadline, and what each category calls for.

-- One row per action (campaign.ActionRules): owner is a unit's short name, 乡镇 (the violation's
-- township) or 办公室 (the office); NULL when the category decides (dim_category_actions.case_unit).
-- due_workdays: working days from the action's start; 0 when the deadline comes from elsewhere.
CREATE TABLE dim_actions (
    action        VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    owner         VARCHAR,
    due_workdays  INTEGER NOT NULL,
    sort_order    INTEGER NOT NULL
);

-- Per category: the unit that files and punishes it, whether it calls for 取缔/查封, and the
-- price-determined value (元) from which it goes to 公安 (0: never by value).
CREATE TABLE dim_category_actions (
    category       VARCHAR PRIMARY KEY,
    case_unit      VARCHAR NOT NULL,
    ban            BOOLEAN NOT NULL,
    criminal_yuan  DECIMAL(14,2) NOT NULL
);

-- The cases register's 认定价值 (元): the value the price determination put on the minerals.
ALTER TABLE raw_cases ADD COLUMN value_yuan DECIMAL(14,2);
