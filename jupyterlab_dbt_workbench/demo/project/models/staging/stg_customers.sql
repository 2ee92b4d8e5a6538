with source as (
    select * from {{ ref('customers') }}
),

renamed as (
    select
        customer_id,
        first_name,
        last_name,
        first_name || ' ' || last_name as full_name,
        lower(email) as email,
        city,
        signed_up_on,
        loyalty_tier,
        marketing_opt_in
    from source
)

select * from renamed
