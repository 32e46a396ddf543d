-- Public tips (举报) from the portal, without the contact and the receipt fields. Tips about
-- officials (涉及公职人员, the confidential channel) are left out: discipline inspection handles
-- them, and no mart, page or export of the other offices may name them (portal/README.md "Tips about
-- officials"). channel is 网络, 电话 or 信件.
-- unique: tip_id
-- not_null: tip_id, received_on, township, status, channel
-- accepted_values: channel = 网络, 电话, 信件
SELECT tip_id, received_on, category, township, village, lon, lat, status, verdict, verified_on,
       nullif(trim(duplicate_of), '') AS duplicate_of, nullif(trim(linked_ref), '') AS linked_ref,
       coalesce(channel, '网络') AS channel
FROM tips
WHERE NOT coalesce(confidential, false)
