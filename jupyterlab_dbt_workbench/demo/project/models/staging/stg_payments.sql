with source as (
    select * from {{ ref('payments') }}
),

renamed as (
    select
        payment_id,
        order_id,
        payment_method,
        payment_type,
        {{ to_money('amount') }} as amount,
        paid_at
    from source
)

select * from renamed
