-- The one vocabulary (dim_labels, filled from the configuration: campaign.Config.LabelRows): the
-- Chinese word for each code of a column — levels, statuses, rules, roles, actors, the input kinds
-- of campaign.InputKinds in their order, the configuration's categories and stages.
-- unique: col, code
-- not_null: col, code, label, sort_order
SELECT col, code, label, sort_order FROM dim_labels
