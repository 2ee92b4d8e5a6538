{% macro to_money(column) -%}
    cast({{ column }} as decimal(12, 2))
{%- endmacro %}
