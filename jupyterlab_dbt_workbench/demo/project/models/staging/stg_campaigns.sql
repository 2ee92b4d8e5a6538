with source as (
    select * from {{ ref('campaigns') }}
),

renamed as (
    select
        campaign_id,
        campaign_name,
        channel as campaign_channel,
        starts_on,
        ends_on,
        date_diff('day', starts_on, ends_on) + 1 as duration_days,
        {{ to_money('budget') }} as budget
    from source
)

select * from renamed
